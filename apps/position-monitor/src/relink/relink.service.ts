import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { OrderFilledV1, type PositionRelinkRequestedV1, type RelinkFill } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import { lockInstrument, PositionsRepository } from '../positions/positions.repository';
import { FillRefusedError, positionFillOf, PositionsService, type PositionFill } from '../positions/positions.service';
import { decideRelink, type ExecutionStanding, type ExecutionToLink, type RelinkDecision } from './relink';
import { auditRelink } from './relinks.repository';

export type RelinkOutcome = 'ALREADY_PROCESSED' | 'LINKED' | 'ALREADY_LINKED' | Extract<RelinkDecision, { kind: 'REFUSED' }>['code'];

type Request = PositionRelinkRequestedV1['payload'];
type Refusal = Extract<RelinkDecision, { kind: 'REFUSED' }>;

/**
 * Executes `position.relink-requested` (rules in `relink.ts`): applies each unlinked fill to the
 * requested position through the same accounting as a live fill (`applyInTransaction`: a fill whose
 * execution is applied already changes nothing) and publishes `position.updated` (cause RELINK)
 * through the outbox. The fill is the one position-monitor holds (refused earlier, in
 * `unapplied_fills`), else the one the command carries (a fill it never received). One transaction
 * with the inbox claim and the audit row (`position_relinks`), refusals included: a refusal changes
 * no position and publishes nothing. Counted in `tlp_position_relinks_total`.
 */
@Injectable()
export class RelinkService {
  private readonly logger = new Logger(RelinkService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly positions: PositionsRepository,
    private readonly service: PositionsService,
    private readonly metrics: PositionMonitorMetrics,
  ) {}

  async process(event: PositionRelinkRequestedV1, inbox: InboxEntry): Promise<RelinkOutcome> {
    const outcome = await this.orm.em.fork().transactional(async (em): Promise<RelinkOutcome> => {
      if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      const request = event.payload;
      await lockInstrument(em, request.accountId, request.instrument.symbol);
      const decision = await this.decide(em, request);
      const result = decision.kind === 'LINK' ? await this.tryLink(em, event, decision.executions) : decision;
      const code = result.kind === 'REFUSED' ? result.code : result.kind === 'LINK' ? 'LINKED' : 'ALREADY_LINKED';
      if (result.kind === 'REFUSED') this.logger.warn(`relink ${request.requestId} refused: ${result.code}: ${result.detail}`);
      await auditRelink(em, {
        eventId: event.eventId, requestId: request.requestId, findingId: request.findingId, rule: request.rule, reason: request.reason,
        accountId: request.accountId, ownerId: request.ownerId, symbol: request.instrument.symbol, orderId: request.orderId,
        positionId: request.positionId, executionIds: request.executionIds, outcome: code, detail: result.kind === 'REFUSED' ? result.detail : null,
        applied: result.kind === 'LINK' ? result.executions : [], requestedAt: new Date(request.requestedAt), processedAt: this.clock.now(),
      });
      return code;
    });
    if (outcome !== 'ALREADY_PROCESSED') this.metrics.relink(outcome);
    return outcome;
  }

  private async decide(em: EntityManager, request: Request): Promise<RelinkDecision> {
    const stored = await this.positions.findById(em, request.positionId);
    const target =
      stored === null
        ? null
        : {
            accountId: stored.state.accountId,
            ownerId: stored.state.ownerId,
            symbol: stored.state.symbol,
            open: stored.state.status === 'OPEN',
            hedgingTradeId: stored.extras.mode === 'HEDGING' ? stored.state.tradeId : null,
          };
    return decideRelink({ ...request, symbol: request.instrument.symbol }, target, await this.standings(em, request));
  }

  /** Links in a savepoint: an accounting refusal rolls back every fill of the request, and the refusal is still audited. */
  private async tryLink(em: EntityManager, event: PositionRelinkRequestedV1, executions: readonly ExecutionToLink[]): Promise<RelinkDecision> {
    try {
      await em.transactional((inner) => this.link(inner, event, executions));
      return { kind: 'LINK', executions };
    } catch (error) {
      if (!(error instanceof FillRefusedError)) throw error;
      return { kind: 'REFUSED', code: 'REFUSED_BY_ACCOUNTING', detail: error.message } satisfies Refusal;
    }
  }

  private async standings(em: EntityManager, request: Request): Promise<ExecutionStanding[]> {
    const carried = new Map((request.fills ?? []).map((f) => [f.executionId, f.tradeId]));
    return Promise.all(
      request.executionIds.map(async (executionId) => {
        const linked = await em.execute<{ position_id: string }[]>('SELECT DISTINCT position_id::text FROM position_fills WHERE execution_id = ? AND order_id = ?', [executionId, request.orderId]);
        const [held] = await em.execute<{ trade_id: string | null }[]>(
          `SELECT (event::jsonb -> 'payload' ->> 'tradeId') AS trade_id FROM unapplied_fills WHERE execution_id = ? AND order_id = ?`,
          [executionId, request.orderId],
        );
        const tradeId = held !== undefined ? held.trade_id : (carried.get(executionId) ?? null);
        return { executionId, linkedTo: linked.map((r) => r.position_id), held: held !== undefined, carried: carried.has(executionId), tradeId };
      }),
    );
  }

  private async link(em: EntityManager, event: PositionRelinkRequestedV1, executions: readonly ExecutionToLink[]): Promise<void> {
    const request = event.payload;
    for (const { executionId, from } of executions) {
      const fill = from === 'HELD' ? await this.heldFill(em, request.orderId, executionId) : carriedFill(event, executionId);
      await this.service.applyInTransaction(em, {
        ...fill,
        source: 'RELINK',
        targetPositionId: request.positionId,
        origin: { ...fill.origin, cause: 'RELINK', correlationId: event.correlationId, causationId: event.eventId },
        eventId: event.eventId,
      });
      if (from === 'HELD') await em.execute('UPDATE unapplied_fills SET relinked_at = ? WHERE execution_id = ? AND order_id = ?', [this.clock.now(), executionId, request.orderId]);
    }
  }

  private async heldFill(em: EntityManager, orderId: string, executionId: string): Promise<PositionFill> {
    const [row] = await em.execute<{ event: string }[]>('SELECT event FROM unapplied_fills WHERE execution_id = ? AND order_id = ?', [executionId, orderId]);
    return positionFillOf(OrderFilledV1.schema.parse(JSON.parse(row?.event ?? 'null')));
  }
}

/** The command's fill for `executionId`, as the accounting takes a live `order.filled` (see `positionFillOf`). */
export function carriedFill(event: PositionRelinkRequestedV1, executionId: string): PositionFill {
  const request = event.payload;
  const fill: RelinkFill | undefined = request.fills?.find((f) => f.executionId === executionId);
  if (fill === undefined) throw new Error(`relink ${request.requestId} carries no fill for ${executionId}`);
  const exit = fill.purpose === 'STOP_LOSS' || fill.purpose === 'TAKE_PROFIT' || fill.purpose === 'EXIT';
  return {
    executionId,
    orderId: request.orderId,
    purpose: fill.purpose,
    side: fill.side,
    quantity: new Decimal(fill.quantity),
    price: new Decimal(fill.price),
    fee: new Decimal(fill.fee),
    at: new Date(fill.filledAt),
    source: 'RELINK',
    accountId: request.accountId,
    ownerId: request.ownerId,
    instrument: request.instrument,
    tradeId: fill.tradeId,
    exitAveragePrice: exit ? fill.averagePrice : null,
    targetPositionId: request.positionId,
    origin: { cause: 'RELINK', orderIds: [request.orderId], executionIds: [executionId], correlationId: event.correlationId, causationId: event.eventId },
    eventId: event.eventId,
  };
}
