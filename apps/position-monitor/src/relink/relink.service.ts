import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { OrderFilledV1, type PositionRelinkRequestedV1 } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import { lockInstrument, PositionsRepository } from '../positions/positions.repository';
import { FillRefusedError, positionFillOf, PositionsService } from '../positions/positions.service';
import { decideRelink, type ExecutionStanding, type RelinkDecision } from './relink';

export type RelinkOutcome = 'ALREADY_PROCESSED' | 'LINKED' | 'ALREADY_LINKED' | Extract<RelinkDecision, { kind: 'REFUSED' }>['code'];

/**
 * Executes `position.relink-requested` (rules in `relink.ts`): applies each unlinked fill, as the
 * position monitor received it on `order.filled`, to the requested position, and publishes
 * `position.updated` (cause RELINK) through the outbox; one transaction with the inbox claim. A refusal
 * changes nothing and publishes nothing: it is logged and counted (`tlp_position_relinks_total`).
 */
@Injectable()
export class RelinkService {
  private readonly logger = new Logger(RelinkService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly positions: PositionsRepository,
    private readonly service: PositionsService,
    private readonly metrics: PositionMonitorMetrics,
  ) {}

  async process(event: PositionRelinkRequestedV1, inbox: InboxEntry): Promise<RelinkOutcome> {
    const request = event.payload;
    const outcome = await this.orm.em.fork().transactional(async (em): Promise<RelinkOutcome> => {
      if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      await lockInstrument(em, request.accountId, request.instrument.symbol);
      const stored = await this.positions.findById(em, request.positionId);
      const target = stored === null ? null : { accountId: stored.state.accountId, ownerId: stored.state.ownerId, symbol: stored.state.symbol, open: stored.state.status === 'OPEN' };
      const decision = decideRelink({ ...request, symbol: request.instrument.symbol }, target, await this.standings(em, request.orderId, request.executionIds));
      if (decision.kind !== 'LINK') return decision.kind === 'REFUSED' ? this.refused(decision, request.requestId) : 'ALREADY_LINKED';
      try {
        await em.transactional((inner) => this.link(inner, event, decision.executionIds));
      } catch (error) {
        if (!(error instanceof FillRefusedError)) throw error;
        return this.refused({ kind: 'REFUSED', code: 'REFUSED_BY_ACCOUNTING', detail: error.message }, request.requestId);
      }
      return 'LINKED';
    });
    if (outcome !== 'ALREADY_PROCESSED') this.metrics.relink(outcome);
    return outcome;
  }

  private async standings(em: EntityManager, orderId: string, executionIds: readonly string[]): Promise<ExecutionStanding[]> {
    return Promise.all(
      executionIds.map(async (executionId) => {
        const linked = await em.execute<{ position_id: string }[]>('SELECT position_id::text FROM position_fills WHERE execution_id = ? AND order_id = ?', [executionId, orderId]);
        const [known] = await em.execute<{ n: number }[]>('SELECT 1 AS n FROM unapplied_fills WHERE execution_id = ? AND order_id = ?', [executionId, orderId]);
        return { executionId, linkedTo: linked.map((r) => r.position_id), known: known !== undefined };
      }),
    );
  }

  private async link(em: EntityManager, event: PositionRelinkRequestedV1, executionIds: readonly string[]): Promise<void> {
    const request = event.payload;
    for (const executionId of executionIds) {
      const [row] = await em.execute<{ event: string }[]>('SELECT event FROM unapplied_fills WHERE execution_id = ? AND order_id = ?', [executionId, request.orderId]);
      const fill = positionFillOf(OrderFilledV1.schema.parse(JSON.parse(row?.event ?? 'null')));
      await this.service.applyInTransaction(em, {
        ...fill,
        source: 'RELINK',
        targetPositionId: request.positionId,
        origin: { ...fill.origin, cause: 'RELINK', correlationId: event.correlationId, causationId: event.eventId },
        eventId: event.eventId,
      });
      await em.execute('UPDATE unapplied_fills SET relinked_at = now() WHERE execution_id = ? AND order_id = ?', [executionId, request.orderId]);
    }
  }

  private refused(decision: Extract<RelinkDecision, { kind: 'REFUSED' }>, requestId: string): RelinkOutcome {
    this.logger.warn(`relink ${requestId} refused: ${decision.code}: ${decision.detail}`);
    return decision.code;
  }
}
