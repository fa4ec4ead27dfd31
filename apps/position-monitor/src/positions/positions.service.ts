import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, OrderFilledV1 } from '@tlp/contracts';
import { appendToOutbox, claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { applyFill, type PositionChange } from './position-accounting';
import { positionUpdated, type PositionUpdateOrigin } from './position-events';
import { positionKeyOf, positionModeOf, type PositionModeSettings } from './position-mode';
import type { AssetClass, FillInput } from './position';
import { lockInstrument, PositionsRepository, type FillLink, type StoredPosition } from './positions.repository';

export type FillProcessing = 'APPLIED' | 'ALREADY_PROCESSED' | 'DUPLICATE_EXECUTION';

/** Injection token of the accounts' position modes (`PositionModeSettings`). */
export const POSITION_MODES = Symbol('POSITION_MODES');

/** A fill the accounting refuses (it passed the contract, so it is inconsistent with the position): dead-lettered. */
export class FillRefusedError extends Error {
  override readonly name = 'FillRefusedError';
}

/**
 * A fill from Kafka, a relink or made up by reconciliation, with what the position and the outbox need.
 * A fill without a target position is looked up by mode, so it names its trade (`order.filled`
 * requires `tradeId`); only a targeted fill (reconciliation of a netting position) may have none.
 */
export type PositionFill = PositionFillBase &
  (
    | { readonly tradeId: string; readonly targetPositionId: null }
    /** Apply to this open position instead of looking it up by mode (reconciliation, relink). */
    | { readonly tradeId: string | null; readonly targetPositionId: string }
  );

interface PositionFillBase extends FillInput, Omit<FillLink, 'price'> {
  readonly accountId: string;
  readonly ownerId: string;
  readonly instrument: { readonly symbol: string; readonly assetClass: AssetClass; readonly multiplier: string };
  /** Order's average price so far, when the order is an exit (kept for closing a position gone at the broker). */
  readonly exitAveragePrice: string | null;
  readonly origin: PositionUpdateOrigin;
  readonly eventId: string | null;
}

/**
 * Applies each `order.filled` to its position (netting: the account's in the instrument; hedging: the
 * trade's), links the fill and its order to every position it changed, moves the lifecycle and
 * publishes `position.updated`, all in one transaction.
 */
@Injectable()
export class PositionsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly positions: PositionsRepository,
    private readonly lifecycle: LifecycleService,
    @Inject(POSITION_MODES) private readonly modes: PositionModeSettings,
  ) {}

  /** A refused fill is kept in `unapplied_fills` (for a later relink) and rethrown, so it is still dead-lettered. */
  async process(event: OrderFilledV1, inbox: InboxEntry): Promise<FillProcessing> {
    const fill = positionFillOf(event);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
        await lockInstrument(em, fill.accountId, fill.instrument.symbol);
        const changes = await this.applyInTransaction(em, fill);
        return changes === null ? 'DUPLICATE_EXECUTION' : 'APPLIED';
      });
    } catch (error) {
      if (error instanceof FillRefusedError) await this.park(event, error.message);
      throw error;
    }
  }

  private async park(event: OrderFilledV1, refusal: string): Promise<void> {
    const fill = event.payload;
    await this.orm.em.fork().execute(
      `INSERT INTO unapplied_fills (execution_id, order_id, account_id, symbol, event, refusal, refused_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [fill.executionId, fill.orderId, fill.accountId, fill.instrument.symbol, JSON.stringify(event), refusal.slice(0, 1000), this.clock.now()],
    );
  }

  /** Caller holds the instrument lock. Null when the execution was applied before. Throws `FillRefusedError`. */
  async applyInTransaction(em: EntityManager, fill: PositionFill): Promise<readonly PositionChange[] | null> {
    if (await this.positions.hasExecution(em, fill.executionId, fill.orderId)) return null;
    const current = await this.currentFor(em, fill);
    const mode = current?.extras.mode ?? positionModeOf(fill.accountId, this.modes);
    const application = applyFill(current?.state ?? null, fill, {
      accountId: fill.accountId,
      ownerId: fill.ownerId,
      symbol: fill.instrument.symbol,
      assetClass: fill.instrument.assetClass,
      multiplier: new Decimal(fill.instrument.multiplier),
      tradeId: fill.tradeId,
      newPositionId: (purpose) => deterministicId('position-monitor.position', fill.orderId, fill.executionId, purpose),
    });
    if (application.kind === 'REFUSED') throw new FillRefusedError(`${application.code}: ${application.detail}`);
    if (application.kind === 'DUPLICATE') return null;
    const now = this.clock.now();
    const events: Envelope[] = [];
    for (const change of application.changes) {
      const previous = change.position.positionId === current?.state.positionId ? current.extras : null;
      const extras = { mode, markedAt: previous?.markedAt ?? null, exitReason: fill.source === 'MANUAL_EXIT' ? ('MANUAL_EXIT' as const) : (previous?.exitReason ?? null) };
      await this.positions.save(em, change.position, extras, now);
      await this.positions.linkFill(em, change, { ...fill, price: fill.price.toFixed() });
      const key = { mode, accountId: fill.accountId, symbol: fill.instrument.symbol, tradeId: change.position.tradeId };
      await this.lifecycle.onPositionChange(em, change, key, fill.ownerId, { cause: fill.source, orderId: fill.orderId, executionId: fill.executionId, eventId: fill.eventId, at: fill.at });
      events.push(positionUpdated(change.position, extras, fill.origin, now));
    }
    if (fill.exitAveragePrice !== null && fill.tradeId !== null) {
      await this.positions.recordExitPrice(em, { orderId: fill.orderId, accountId: fill.accountId, symbol: fill.instrument.symbol, tradeId: fill.tradeId, averagePrice: fill.exitAveragePrice, at: fill.at });
    }
    await appendToOutbox(sqlOf(em), events);
    return application.changes;
  }

  private async currentFor(em: EntityManager, fill: PositionFill): Promise<StoredPosition | null> {
    if (fill.targetPositionId !== null) {
      const target = await this.positions.findById(em, fill.targetPositionId);
      if (target?.state.status !== 'OPEN') throw new FillRefusedError(`TARGET_NOT_OPEN: position ${fill.targetPositionId} is not open`);
      return target;
    }
    const mode = positionModeOf(fill.accountId, this.modes);
    return this.positions.findOpen(em, positionKeyOf(mode, fill.accountId, fill.instrument.symbol, fill.tradeId));
  }
}

export function positionFillOf(event: OrderFilledV1): PositionFill {
  const fill = event.payload;
  const exit = fill.purpose === 'STOP_LOSS' || fill.purpose === 'TAKE_PROFIT' || fill.purpose === 'EXIT';
  return {
    executionId: fill.executionId,
    orderId: fill.orderId,
    purpose: fill.purpose,
    side: fill.side,
    quantity: new Decimal(fill.lastQuantity),
    price: new Decimal(fill.lastPrice),
    fee: new Decimal(fill.fee),
    at: new Date(fill.filledAt),
    source: 'ORDER_FILLED',
    accountId: fill.accountId,
    ownerId: fill.ownerId,
    instrument: fill.instrument,
    tradeId: fill.tradeId,
    exitAveragePrice: exit ? fill.averagePrice : null,
    targetPositionId: null,
    origin: { cause: 'FILL', orderIds: [fill.orderId], executionIds: [fill.executionId], correlationId: event.correlationId, causationId: event.eventId },
    eventId: event.eventId,
  };
}
