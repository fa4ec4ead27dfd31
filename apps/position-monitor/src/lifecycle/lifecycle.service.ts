import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import type { OrderRef } from '@tlp/contracts';
import { deterministicId } from '@tlp/service-runtime';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import type { PositionChange } from '../positions/position-accounting';
import type { PositionMode } from '../positions/position-mode';
import { LifecycleRepository, type LifecycleKey, type LifecycleRow, type TransitionCause } from './lifecycle.repository';
import { applyLifecycleEvent, type LifecycleEvent } from './position-lifecycle';

/** What ended an order without (or after) fills, from order.rejected, order.canceled or order.expired. */
export interface OrderEnded {
  readonly orderId: string;
  readonly purpose: OrderRef['purpose'];
  readonly accountId: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly outcome: 'REJECTED' | 'CANCELED' | 'EXPIRED';
  /** Quantity filled before the order ended; 0 for a rejection. */
  readonly filledNothing: boolean;
}

/**
 * Drives each position's lifecycle (see `position-lifecycle.ts` for the mapping of order and fill
 * events) inside the caller's transaction, under the caller's position lock.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger(LifecycleService.name);

  constructor(
    private readonly lifecycles: LifecycleRepository,
    private readonly metrics: PositionMonitorMetrics,
  ) {}

  /** A fill (or a synthetic one) changed a position: OPENED opens a lifecycle, REDUCED starts the exit, CLOSED ends it. */
  async onPositionChange(em: EntityManager, change: PositionChange, key: LifecycleKey, ownerId: string, cause: TransitionCause): Promise<void> {
    const positionId = change.position.positionId;
    if (change.transition === 'OPENED') {
      const pending = await this.lifecycles.findActive(em, key);
      const lifecycle =
        pending !== null && pending.positionId === null
          ? pending
          : await this.lifecycles.create(em, { ...key, lifecycleId: positionId, ownerId, entryOrderId: null, at: cause.at }, cause);
      await this.lifecycles.attachPosition(em, lifecycle.lifecycleId, positionId);
      await this.transition(em, lifecycle, 'POSITION_OPENED', cause);
      if (lifecycle.exitsPlaced) await this.transition(em, { ...lifecycle, state: 'OPEN' }, 'EXITS_PLACED', cause);
      return;
    }
    if (change.transition === 'INCREASED') return;
    const lifecycle = await this.lifecycles.findByPosition(em, positionId);
    if (lifecycle === null) throw new Error(`position ${positionId} has no lifecycle`);
    await this.transition(em, lifecycle, change.transition === 'CLOSED' ? 'POSITION_CLOSED' : 'EXIT_STARTED', cause);
  }

  /**
   * order.submitted or order.accepted: an ENTRY creates a SUBMITTING lifecycle unless one is active or
   * the order already filled; exits placed move an open lifecycle to MONITORING (or are remembered
   * until it opens); an EXIT order moves it to CLOSING. Returns the position the order belongs to, if known.
   */
  async onOrderSubmitted(em: EntityManager, order: OrderRef, mode: PositionMode, alreadyFilled: boolean, cause: TransitionCause): Promise<string | null> {
    const key: LifecycleKey = { mode, accountId: order.accountId, symbol: order.instrument.symbol, tradeId: order.tradeId };
    const active = await this.lifecycles.findActive(em, key);
    if (order.purpose === 'ENTRY') {
      if (active !== null || alreadyFilled) return active?.positionId ?? null;
      const lifecycleId = deterministicId('position-monitor.lifecycle', order.orderId);
      const created = await this.lifecycles.create(em, { ...key, lifecycleId, ownerId: order.ownerId, entryOrderId: order.orderId, at: cause.at }, cause);
      await this.transition(em, created, 'ENTRY_SUBMITTED', cause);
      return null;
    }
    if (active === null || order.purpose === 'EXTERNAL') return active?.positionId ?? null;
    if (order.purpose === 'EXIT') {
      await this.transition(em, active, 'EXIT_STARTED', cause);
    } else if (active.positionId === null) {
      await this.lifecycles.markExitsPlaced(em, active.lifecycleId);
    } else {
      await this.transition(em, active, 'EXITS_PLACED', cause);
    }
    return active.positionId;
  }

  /** An entry that ends with nothing filled fails its lifecycle; an exit that ends unfilled while CLOSING returns it to MONITORING. */
  async onOrderEnded(em: EntityManager, ended: OrderEnded, mode: PositionMode, cause: TransitionCause): Promise<void> {
    if (ended.purpose === 'ENTRY') {
      const lifecycle = await this.lifecycles.findByEntryOrder(em, ended.orderId);
      if (lifecycle !== null && ended.filledNothing) await this.transition(em, lifecycle, 'ENTRY_FAILED', cause, `ENTRY_${ended.outcome}`);
      return;
    }
    const active = await this.lifecycles.findActive(em, { mode, accountId: ended.accountId, symbol: ended.symbol, tradeId: ended.tradeId });
    if (active?.state === 'CLOSING') await this.transition(em, active, 'EXIT_ABANDONED', cause);
  }

  /** The position was valued: an OPEN lifecycle is watched from now on (MONITORING); any other state is left as it is. */
  async onValued(em: EntityManager, positionId: string, cause: TransitionCause): Promise<void> {
    const lifecycle = await this.lifecycles.findByPosition(em, positionId);
    if (lifecycle?.state === 'OPEN') await this.transition(em, lifecycle, 'MONITORING_STARTED', cause);
  }

  private async transition(em: EntityManager, lifecycle: LifecycleRow, event: LifecycleEvent, cause: TransitionCause, failureReason: string | null = null): Promise<void> {
    const outcome = applyLifecycleEvent(lifecycle.state, event);
    if (outcome.kind === 'REFUSED') {
      this.metrics.lifecycleRefusedEvent(event, outcome.code);
      this.logger.debug?.(`lifecycle ${lifecycle.lifecycleId} refused ${event}: ${outcome.code} ${outcome.detail}`);
      return;
    }
    await this.lifecycles.move(em, lifecycle.lifecycleId, outcome.from, outcome.to, cause, failureReason);
  }
}
