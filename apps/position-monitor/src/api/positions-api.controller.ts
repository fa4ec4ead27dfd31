import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Patch, Query } from '@nestjs/common';
import { type AuthUser, CurrentUser, RequirePermission } from '@tlp/service-runtime';
import { z } from 'zod';
import type { AuditTrail } from './audit-trail';
import { type PnlSummary, type PositionView, PositionsApiService } from './positions-api.service';
import { isPositionId, parsePositionsQuery } from './positions-query';

/** 404 for an id that is malformed, absent or another user's: the three are indistinguishable. */
const notFound = (positionId: string) => new NotFoundException({ error: 'POSITION_NOT_FOUND', message: `position ${positionId} not found` });

const invalid = (problems: readonly { parameter: string; problem: string }[]) =>
  new BadRequestException({
    error: 'INVALID_PARAMETER',
    message: problems.map((p) => `${p.parameter}: ${p.problem}`).join('; '),
    parameters: problems.map((p) => p.parameter),
  });

const NoteBody = z.object({ note: z.string().max(2000).nullable() }).strict();

/** The position queries (`positions:read`) and the one change a user may make (`positions:write`). */
@Controller()
export class PositionsApiController {
  constructor(@Inject(PositionsApiService) private readonly positions: PositionsApiService) {}

  @Get('positions')
  @RequirePermission('positions:read')
  async list(@CurrentUser() user: AuthUser, @Query() raw: Record<string, unknown>): Promise<{ items: PositionView[]; nextCursor: string | null }> {
    const query = parsePositionsQuery(raw);
    if (!query.ok) throw invalid(query.problems);
    return this.positions.list(user.userId, query.value);
  }

  @Get('positions/:positionId')
  @RequirePermission('positions:read')
  async get(@CurrentUser() user: AuthUser, @Param('positionId') positionId: string): Promise<PositionView> {
    const position = isPositionId(positionId) ? await this.positions.get(user.userId, positionId) : undefined;
    if (!position) throw notFound(positionId);
    return position;
  }

  @Get('positions/:positionId/audit-trail')
  @RequirePermission('positions:read')
  async auditTrail(@CurrentUser() user: AuthUser, @Param('positionId') positionId: string): Promise<AuditTrail> {
    const trail = isPositionId(positionId) ? await this.positions.auditTrail(user.userId, positionId) : undefined;
    if (!trail) throw notFound(positionId);
    return trail;
  }

  @Patch('positions/:positionId')
  @RequirePermission('positions:write')
  async setNote(@CurrentUser() user: AuthUser, @Param('positionId') positionId: string, @Body() body: unknown): Promise<PositionView> {
    const parsed = NoteBody.safeParse(body);
    if (!parsed.success) {
      throw invalid(parsed.error.issues.map((i) => ({ parameter: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : 'body'), problem: i.message })));
    }
    const position = isPositionId(positionId) ? await this.positions.setNote(user.userId, positionId, parsed.data.note) : undefined;
    if (!position) throw notFound(positionId);
    return position;
  }

  @Get('accounts/:accountId/pnl')
  @RequirePermission('positions:read')
  async pnl(@CurrentUser() user: AuthUser, @Param('accountId') accountId: string): Promise<PnlSummary> {
    const summary = await this.positions.pnl(user.userId, accountId);
    if (!summary) throw new NotFoundException({ error: 'ACCOUNT_NOT_FOUND', message: `no positions of account ${accountId}` });
    return summary;
  }
}
