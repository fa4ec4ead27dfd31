import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  BROKER,
  brokerOrderId,
  clientOrderId,
  isBrokerError,
  newClientOrderId,
  type BrokerPort,
  type OrderStatusReport,
  type SubmitOrder,
} from '@tlp/broker';
import { toDecimalString, type Envelope, type OrderRef, isTerminalOrderStatus } from '@tlp/contracts';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { orderEndedEvent, type TerminalStatus } from '../orders/order-events';
import { lockOrderKeys } from '../orders/order-locks';
import { TrackedOrder } from '../orders/tracked-order.entity';
import { linkBrokerOrderId } from '../orders/tracked-orders.repository';
import { planSiblingCancels, type ExitOrder, type ExitSubmissionState, type TradeCommand } from './exit-plan';
import { TradesRepository } from './trades.repository';
import { TradesService } from './trades.service';

export const EXIT_ORDERS_SETTINGS = Symbol('EXIT_ORDERS_SETTINGS');
export interface ExitOrdersSettings {
  /** How long a cancel is read back for before it is left to the recovery pass, ms. */
  readonly cancelConfirmTimeoutMs: number;
}


/** Replays fills parked for an order that just became known (provided by the orders code as `FillsService`). */
export interface ParkedFills {
  applyParked(em: EntityManager, order: TrackedOrder): Promise<number>;
}
export const PARKED_FILLS = Symbol('PARKED_FILLS');

/** How a sibling cancel ended at the broker. UNCONFIRMED: still working when the wait ran out (the recovery pass retries). */
export type CancelConfirmation = 'CANCELED' | 'FILLED' | 'ENDED' | 'NOT_FOUND' | 'UNCONFIRMED';

const IN_DOUBT: ReadonlySet<ExitSubmissionState> = new Set(['PENDING', 'UNKNOWN']);
const ENDED: Readonly<Record<string, TerminalStatus>> = { CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED' };

/**
 * Carries out, after commit, the commands the trade journal planned: places exits, resizes them,
 * cancels the sibling and reads the cancel back. Intent first (the exit row is committed before the
 * broker is called), deterministic client order ids, settle once under a row lock: a crash or a
 * second run never places a second exit. An accepted exit becomes a `TrackedOrder`, so its fills
 * flow through `FillsService` like any other order's.
 */
@Injectable()
export class ExitOrdersService {
  private readonly logger = new Logger(ExitOrdersService.name);
  private readonly settings: ExitOrdersSettings;

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    private readonly trades: TradesService,
    private readonly repository: TradesRepository,
    // The orders code depends on this service to run commands, so its parked-fill replay is looked up
    // lazily by token (importing FillsService here would make a module cycle).
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(EXIT_ORDERS_SETTINGS) settings?: ExitOrdersSettings,
  ) {
    this.settings = settings ?? { cancelConfirmTimeoutMs: 5000 };
  }

  /** Runs commands returned by `TradesService`, in order; a failure is logged and left to `resolveInDoubt`. */
  async execute(commands: readonly TradeCommand[]): Promise<void> {
    for (const command of commands) {
      try {
        if (command.kind === 'PLACE_EXITS') await this.placeExits(command.tradeId);
        else if (command.kind === 'RESIZE_EXIT') await this.resizeExit(command.orderId);
        else await this.cancelExit(command.orderId);
      } catch (error) {
        this.logger.error(`${command.kind} for trade ${command.tradeId} failed: ${messageOf(error)}; left for the recovery pass`);
      }
    }
  }

  /** Sends every first-version exit of the trade that is not settled yet. */
  async placeExits(tradeId: string): Promise<ExitSubmissionState[]> {
    const exits = await this.repository.exitsOf(this.orm.em.fork(), tradeId);
    const states: ExitSubmissionState[] = [];
    for (const exit of exits.filter((e) => e.replacesOrderId === null)) states.push(IN_DOUBT.has(exit.submissionState) ? await this.submit(exit) : exit.submissionState);
    return states;
  }

  /** Replaces the previous version at the broker by this one (new quantity, its own client order id). */
  async resizeExit(orderId: string): Promise<ExitSubmissionState> {
    const em = this.orm.em.fork();
    const exit = await this.repository.exit(em, orderId);
    if (!exit || !IN_DOUBT.has(exit.submissionState) || !exit.replacesOrderId) return exit?.submissionState ?? 'REJECTED';
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    if (found) return this.settleAccepted(exit, found);
    let previous = await this.repository.exit(em, exit.replacesOrderId);
    if (previous && IN_DOUBT.has(previous.submissionState)) {
      await this.resolveOne(previous);
      previous = await this.repository.exit(em, exit.replacesOrderId);
    }
    if (!previous || previous.submissionState === 'REJECTED' || !previous.brokerOrderId) {
      return previous?.submissionState === 'REJECTED' ? this.submit(exit) : exit.submissionState;
    }
    try {
      const report = await this.broker.replaceOrder(brokerOrderId(previous.brokerOrderId), { quantity: exit.quantity, clientOrderId: newClientOrderId(exit.clientOrderId) });
      return await this.settleAccepted(exit, report);
    } catch (error) {
      if (isBrokerError(error) && !error.retriable && !error.unsent) return this.settleRejected(exit, `replace refused: ${error.message}`);
      return this.resolve(exit, `replace failed: ${messageOf(error)}`);
    }
  }

  /** Cancels a working exit and reads it back until its final state; a confirmed end is applied to its order and trade. */
  async cancelExit(orderId: string): Promise<CancelConfirmation> {
    const exit = await this.repository.exit(this.orm.em.fork(), orderId);
    if (!exit) return 'NOT_FOUND';
    const report = exit.brokerOrderId
      ? await this.broker.getOrder(brokerOrderId(exit.brokerOrderId))
      : await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    if (!report) return IN_DOUBT.has(exit.submissionState) ? 'UNCONFIRMED' : 'NOT_FOUND';
    if (!isTerminalOrderStatus(report.status)) {
      const answer = await this.broker.cancelOrder(report.brokerOrderId);
      if (answer === 'NOT_FOUND') return 'NOT_FOUND';
    }
    const final = isTerminalOrderStatus(report.status) ? report : await this.confirm(report.brokerOrderId);
    if (!final) return 'UNCONFIRMED';
    const ending = ENDED[final.status];
    if (ending) await this.recordEnded(exit, final, ending);
    return final.status === 'FILLED' ? 'FILLED' : final.status === 'CANCELED' ? 'CANCELED' : 'ENDED';
  }

  /**
   * Recovery pass (at start and periodically): settles exits left PENDING or UNKNOWN (by client order
   * id at the broker, else submits them under the same id), then retries the sibling cancels of trades
   * still CLOSING.
   */
  async resolveInDoubt(): Promise<{ resolved: number; cancels: number }> {
    const em = this.orm.em.fork();
    const exits = await this.repository.exitsInDoubt(em);
    for (const exit of exits) await this.resolveOne(exit).catch((e: unknown) => this.logger.error(`exit ${exit.orderId}: ${messageOf(e)}`));
    let cancels = 0;
    for (const { trade } of await this.repository.tradesIn(em, 'CLOSING')) {
      for (const command of planSiblingCancels(trade)) {
        cancels += 1;
        await this.execute([command]);
      }
    }
    return { resolved: exits.length, cancels };
  }

  private async resolveOne(exit: ExitOrder): Promise<ExitSubmissionState> {
    if (exit.replacesOrderId) return this.resizeExit(exit.orderId);
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    return found ? this.settleAccepted(exit, found) : this.submit(exit);
  }

  private async submit(exit: ExitOrder): Promise<ExitSubmissionState> {
    const result = await this.broker.submitOrder(commandOf(exit));
    switch (result.outcome) {
      case 'ACCEPTED':
        return this.settleAccepted(exit, result.order);
      case 'REJECTED':
        return this.settleRejected(exit, `${result.code}: ${result.message}`);
      case 'DUPLICATE_CLIENT_ORDER_ID':
        return this.resolve(exit, 'broker already has this client order id');
      case 'UNKNOWN':
        return this.resolve(exit, result.reason);
      case 'NOT_SENT':
        this.logger.warn(`exit ${exit.orderId} not sent: ${result.reason}; left for the recovery pass`);
        return exit.submissionState;
    }
  }

  private async resolve(exit: ExitOrder, reason: string): Promise<ExitSubmissionState> {
    try {
      const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
      if (found) return await this.settleAccepted(exit, found);
    } catch (error) {
      reason = `${reason}; lookup failed: ${messageOf(error)}`;
    }
    this.logger.warn(`exit ${exit.orderId} in doubt: ${reason}`);
    return this.settle(exit, async (em, now) => {
      await this.repository.settleExit(em, exit.orderId, 'UNKNOWN', null, reason, now);
      return [];
    });
  }

  private settleAccepted(exit: ExitOrder, report: OrderStatusReport): Promise<ExitSubmissionState> {
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

  private settleRejected(exit: ExitOrder, message: string): Promise<ExitSubmissionState> {
    this.logger.error(`exit ${exit.orderId} of trade ${exit.tradeId} rejected: ${message}`);
    return this.settle(exit, async (em, now) => {
      await this.repository.settleExit(em, exit.orderId, 'REJECTED', null, message, now);
      return (await this.trades.onExitRejected(em, { ...exit, submissionState: 'REJECTED' }, message, now)).events;
    });
  }

  /** Applies an outcome under the exit row's lock, once: a concurrent path that settled first wins. */
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

  /** The same as `OrderTrackingService.end` for the exit's order (once: a stream report that comes later finds it ended), plus its trade. */
  private async recordEnded(exit: ExitOrder, report: OrderStatusReport, status: TerminalStatus): Promise<void> {
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

  private async confirm(id: ReturnType<typeof brokerOrderId>): Promise<OrderStatusReport | null> {
    const deadline = this.clock.now().getTime() + this.settings.cancelConfirmTimeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const report = await this.broker.getOrder(id);
      if (report && isTerminalOrderStatus(report.status)) return report;
      if (this.clock.now().getTime() > deadline) return null;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function commandOf(exit: ExitOrder): SubmitOrder {
  return {
    clientOrderId: newClientOrderId(exit.clientOrderId),
    symbol: exit.symbol,
    side: exit.side,
    orderType: exit.orderType,
    timeInForce: exit.timeInForce,
    quantity: new Decimal(exit.quantity),
    limitPrice: exit.limitPrice,
    stopPrice: exit.stopPrice,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
