import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { OrderStatusReport } from '@tlp/broker';
import { toDecimalString, type Envelope, type OrderRef, isTerminalOrderStatus } from '@tlp/contracts';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import type { Clock } from '@tlp/service-runtime';
import { orderEndedEvent, type TerminalStatus } from '../orders/order-events';
import { lockOrderKeys } from '../orders/order-locks';
import { TrackedOrder } from '../orders/tracked-order.entity';
import { linkBrokerOrderId } from '../orders/tracked-orders.repository';
import type { ExitOrder, ExitSubmissionState } from './exit-plan';
import type { TradesRepository } from './trades.repository';
import type { TradesService } from './trades.service';

/** Replays fills parked for an order that just became known (provided by the orders code as `FillsService`). */
export interface ParkedFills {
  applyParked(em: EntityManager, order: TrackedOrder): Promise<number>;
}
export const PARKED_FILLS = Symbol('PARKED_FILLS');

const IN_DOUBT: ReadonlySet<ExitSubmissionState> = new Set(['PENDING', 'UNKNOWN']);

/**
 * Records the outcome of an exit order's submission, once: each outcome is applied under the exit
 * row's lock and only while the row is still PENDING or UNKNOWN, so a concurrent path (the live path
 * and the recovery pass) that settled first wins. An accepted exit becomes a `TrackedOrder` linked to
 * its broker id, so its fills and statuses flow through the orders code like any other order's.
 * Built by `ExitOrdersService`, not injected.
 */
export class ExitSettlementService {
  private readonly logger = new Logger(ExitSettlementService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly trades: TradesService,
    private readonly repository: TradesRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  accepted(exit: ExitOrder, report: OrderStatusReport): Promise<ExitSubmissionState> {
    return this.settle(exit, async (em, now) => {
      await this.repository.settleExit(em, exit.orderId, 'ACCEPTED', report.brokerOrderId, null, now);
      await lockOrderKeys(em, [exit.clientOrderId, report.brokerOrderId]);
      const order = (await em.findOne(TrackedOrder, exit.orderId)) ?? (await this.track(em, exit, report, now));
      if (exit.replacesOrderId) {
        const previous = await em.findOne(TrackedOrder, exit.replacesOrderId);
        if (previous && !isTerminalOrderStatus(previous.status)) Object.assign(previous, { status: 'REPLACED', updatedAt: now });
      }
      await em.flush();
      // Linked before the stream's `replaced` can relink the new broker id to the previous version.
      await linkBrokerOrderId(em, report.brokerOrderId, exit.orderId);
      await this.moduleRef.get<ParkedFills>(PARKED_FILLS, { strict: false }).applyParked(em, order);
      return [];
    });
  }

  rejected(exit: ExitOrder, message: string): Promise<ExitSubmissionState> {
    this.logger.error(`exit ${exit.orderId} of trade ${exit.tradeId} rejected: ${message}`);
    return this.settle(exit, async (em, now) => {
      await this.repository.settleExit(em, exit.orderId, 'REJECTED', null, message, now);
      return (await this.trades.onExitRejected(em, { ...exit, submissionState: 'REJECTED' }, message, now)).events;
    });
  }

  unknown(exit: ExitOrder, reason: string): Promise<ExitSubmissionState> {
    this.logger.warn(`exit ${exit.orderId} in doubt: ${reason}`);
    return this.settle(exit, async (em, now) => {
      await this.repository.settleExit(em, exit.orderId, 'UNKNOWN', null, reason, now);
      return [];
    });
  }

  /** The same as `OrderTrackingService.end` for the exit's order (once: a stream report that comes later finds it ended), plus its trade. */
  async ended(exit: ExitOrder, report: OrderStatusReport, status: TerminalStatus): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await lockOrderKeys(em, [exit.clientOrderId]);
      const order = await em.findOne(TrackedOrder, exit.orderId);
      if (!order || isTerminalOrderStatus(order.status)) return;
      const now = this.clock.now();
      Object.assign(order, { status, updatedAt: now });
      await em.flush();
      const trade = await this.trades.onOrderEnded(em, order, status, report.updatedAt);
      await appendToOutbox(sqlOf(em), [orderEndedEvent(order, status, report.updatedAt, `exit ${status.toLowerCase()} by the monitor`), ...trade.events]);
    });
  }

  private settle(exit: ExitOrder, apply: (em: EntityManager, now: Date) => Promise<Envelope[]>): Promise<ExitSubmissionState> {
    return this.orm.em.fork().transactional(async (em) => {
      const current = await this.repository.exit(em, exit.orderId, true);
      if (!current || !IN_DOUBT.has(current.submissionState)) return current?.submissionState ?? 'REJECTED';
      const events = await apply(em, this.clock.now());
      if (events.length > 0) await appendToOutbox(sqlOf(em), events);
      return (await this.repository.exit(em, exit.orderId))?.submissionState ?? 'REJECTED';
    });
  }

  private async track(em: EntityManager, exit: ExitOrder, report: OrderStatusReport, now: Date): Promise<TrackedOrder> {
    const record = await this.repository.lock(em, exit.tradeId);
    const entry = record ? await em.findOne(TrackedOrder, record.trade.entryOrderId) : null;
    if (!record || !entry) throw new Error(`exit ${exit.orderId}: trade ${exit.tradeId} or its entry order is not known`);
    const ref: OrderRef = {
      ...entry.ref,
      orderId: exit.orderId,
      clientOrderId: exit.clientOrderId,
      brokerOrderId: report.brokerOrderId,
      purpose: exit.purpose,
      side: exit.side,
      quantity: toDecimalString(exit.quantity),
      orderType: exit.orderType,
      limitPrice: exit.limitPrice === null ? null : toDecimalString(exit.limitPrice),
      stopPrice: exit.stopPrice === null ? null : toDecimalString(exit.stopPrice),
      timeInForce: exit.timeInForce,
    };
    return em.create(TrackedOrder, {
      orderId: exit.orderId,
      clientOrderId: exit.clientOrderId,
      brokerOrderId: report.brokerOrderId,
      ref,
      quantity: ref.quantity,
      correlationId: entry.correlationId,
      causationId: entry.causationId,
      submittedAt: report.submittedAt ?? now,
      updatedAt: now,
    });
  }
}
