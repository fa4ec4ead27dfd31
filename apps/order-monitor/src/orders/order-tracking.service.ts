import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ExitOrdersService } from '../trades/exit-orders.service';
import type { TradeCommand } from '../trades/exit-plan';
import { TradesService } from '../trades/trades.service';
import type { OrderStatusReport } from '@tlp/broker';
import { toDecimalString, type Envelope, type OrderSubmittedV1 } from '@tlp/contracts';
import { appendToOutbox, claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import type { Decimal } from 'decimal.js';
import { FillsService } from './fills.service';
import { orderAcceptedEvent, orderEndedEvent, orderReplacedEvent } from './order-events';
import { lockOrderKeys } from './order-locks';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import {
  applyOrderEvent,
  TERMINAL_ORDER_STATUSES,
  type FillEventKind,
  type OrderEventKind,
} from './order-state-machine';
import { orderStateOf, TrackedOrder } from './tracked-order.entity';
import { findTrackedOrder, linkBrokerOrderId } from './tracked-orders.repository';

export type StatusEventKind = Exclude<OrderEventKind, FillEventKind>;
interface StatusChange {
  readonly kind: StatusEventKind;
  readonly report: OrderStatusReport;
  /** The replacing order as the broker reports it, for a REPLACED event; null when unknown. */
  readonly replacement: OrderStatusReport | null;
  readonly at: Date;
  readonly reason: string;
}

export type StatusOutcome = 'APPLIED' | 'IGNORED' | 'REFUSED' | 'UNKNOWN_ORDER';

/** Starts following orders the executor placed, and moves them through the state machine on broker status reports. */
@Injectable()
export class OrderTrackingService {
  private readonly logger = new Logger(OrderTrackingService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly fills: FillsService,
    private readonly metrics: OrderMonitorMetrics,
    private readonly trades: TradesService,
    private readonly exitOrders: ExitOrdersService,
  ) {}

  /** Trade commands (exits to place, resize, cancel) run after the transaction that produced them commits. */
  private async afterCommit<T>(work: (commands: TradeCommand[]) => Promise<T>): Promise<T> {
    const commands: TradeCommand[] = [];
    const result = await work(commands);
    if (commands.length > 0) await this.exitOrders.execute(commands);
    return result;
  }

  /** Tracks a submitted order (once per event) and applies any acknowledgement or fill that arrived before it. */
  async track(event: OrderSubmittedV1, inbox: InboxEntry): Promise<'TRACKED' | 'ALREADY_PROCESSED'> {
    const p = event.payload;
    return this.afterCommit((commands) =>
      this.orm.em.fork().transactional(async (em) => {
        await lockOrderKeys(em, [p.clientOrderId, p.brokerOrderId]);
        if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
        let order = await em.findOne(TrackedOrder, p.orderId);
        if (!order) {
          const { status: _status, submittedAt: _at, ...ref } = p;
          order = em.create(TrackedOrder, {
            orderId: p.orderId,
            clientOrderId: p.clientOrderId,
            brokerOrderId: p.brokerOrderId,
            ref,
            quantity: p.quantity,
            correlationId: event.correlationId,
            causationId: event.eventId,
            submittedAt: new Date(p.submittedAt),
            updatedAt: this.clock.now(),
          });
          await em.flush();
          await linkBrokerOrderId(em, p.brokerOrderId, p.orderId);
          const trade = await this.trades.onEntrySubmitted(em, order, p.tradePlan, this.clock.now());
          await appendToOutbox(sqlOf(em), trade.events);
          commands.push(...trade.commands);
        }
        await this.applyParkedAcknowledgement(em, order);
        await this.fills.applyParked(em, order, commands);
        return 'TRACKED' as const;
      }),
    );
  }

  /**
   * Applies one status event (not a fill: fills go through `FillsService`) reported for a broker
   * order. Refused transitions are counted and never applied; an order not tracked yet keeps only
   * its acknowledgement, for `track` to replay.
   */
  async applyStatus(
    report: OrderStatusReport,
    kind: StatusEventKind,
    at: Date,
    reason: string,
    replacement: OrderStatusReport | null = null,
  ): Promise<StatusOutcome> {
    return this.afterCommit((commands) =>
      this.orm.em.fork().transactional(async (em) => {
        await lockOrderKeys(em, [report.clientOrderId]);
        const order = await findTrackedOrder(em, report.clientOrderId, report.brokerOrderId);
        if (!order) {
          if (kind === 'ACKNOWLEDGED') await this.parkAcknowledgement(em, report, at);
          return 'UNKNOWN_ORDER';
        }
        // A report about a broker id the order has already moved away from (replaced) says nothing about the order.
        if (
          order.brokerOrderId !== null &&
          order.brokerOrderId !== report.brokerOrderId &&
          kind !== 'ACKNOWLEDGED'
        )
          return 'IGNORED';
        const events: Envelope[] = [];
        if (kind === 'ACKNOWLEDGED' && order.acceptedAt === null) events.push(this.accept(order, at));
        const outcome = await this.transition(
          em,
          order,
          { kind, report, replacement, at, reason },
          events,
          commands,
        );
        await em.flush();
        await appendToOutbox(sqlOf(em), events);
        return outcome;
      }),
    );
  }

  /** The order with this client order id while it is open, else null. */
  async openOrder(clientOrderId: string): Promise<TrackedOrder | null> {
    return this.orm.em
      .fork()
      .findOne(TrackedOrder, { clientOrderId, status: { $nin: [...TERMINAL_ORDER_STATUSES] } });
  }

  async openOrders(): Promise<TrackedOrder[]> {
    return this.orm.em
      .fork()
      .find(
        TrackedOrder,
        { status: { $nin: [...TERMINAL_ORDER_STATUSES] } },
        { orderBy: { submittedAt: 'asc' } },
      );
  }

  private async transition(
    em: EntityManager,
    order: TrackedOrder,
    change: StatusChange,
    events: Envelope[],
    commands: TradeCommand[],
  ): Promise<StatusOutcome> {
    const { kind, report, at, reason } = change;
    const outcome = applyOrderEvent(orderStateOf(order), { kind });
    if (outcome.kind === 'REFUSED') {
      this.metrics.transitionRefused(outcome.from, outcome.event);
      this.logger.error(
        `order ${order.orderId}: ${kind} refused in ${outcome.from} (${outcome.code}); not applied`,
      );
      return 'REFUSED';
    }
    if (outcome.kind === 'IGNORED') return 'IGNORED';
    const { status, previousStatus } = outcome.state;
    Object.assign(order, { status, previousStatus, updatedAt: this.clock.now() });
    if (status === 'CANCELED' || status === 'EXPIRED' || status === 'REJECTED') {
      events.push(orderEndedEvent(order, status, at, reason));
      await em.flush();
      const trade = await this.trades.onOrderEnded(em, order, status, at);
      events.push(...trade.events);
      commands.push(...trade.commands);
    }
    if (status === 'REPLACED' && report.replacedBy !== null)
      await this.relink(em, order, report.brokerOrderId, report.replacedBy, change.replacement, events, at);
    return 'APPLIED';
  }

  /**
   * The broker order was replaced: the internal order lives on under the replacement's id (linked, so
   * fills on either id land here) and waits for the replacement's acknowledgement. REPLACED is
   * terminal for a broker order, not for the internal order.
   */
  private async relink(
    em: EntityManager,
    order: TrackedOrder,
    oldId: string,
    newId: string,
    replacement: OrderStatusReport | null,
    events: Envelope[],
    at: Date,
  ): Promise<void> {
    await linkBrokerOrderId(em, oldId, order.orderId);
    await linkBrokerOrderId(em, newId, order.orderId);
    Object.assign(order, { brokerOrderId: newId, status: 'ACCEPTED', previousStatus: null });
    if (replacement?.brokerOrderId === newId) {
      const price = (d: Decimal | null) => (d === null ? null : toDecimalString(d));
      const quantity = toDecimalString(replacement.quantity);
      Object.assign(order, {
        quantity,
        ref: {
          ...order.ref,
          quantity,
          limitPrice: price(replacement.limitPrice),
          stopPrice: price(replacement.stopPrice),
        },
      });
    }
    events.push(orderReplacedEvent(order, oldId, at));
  }

  private accept(order: TrackedOrder, at: Date): Envelope {
    order.acceptedAt = at;
    return orderAcceptedEvent(order, at);
  }

  private async parkAcknowledgement(em: EntityManager, report: OrderStatusReport, at: Date): Promise<void> {
    await em.execute(
      'INSERT INTO parked_acknowledgements (client_order_id, broker_order_id, acknowledged_at, parked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [report.clientOrderId, report.brokerOrderId, at, this.clock.now()],
    );
  }

  private async applyParkedAcknowledgement(em: EntityManager, order: TrackedOrder): Promise<void> {
    const [row] = await em.execute<{ broker_order_id: string; acknowledged_at: Date }[]>(
      'DELETE FROM parked_acknowledgements WHERE client_order_id = ? RETURNING broker_order_id, acknowledged_at',
      [order.clientOrderId],
    );
    if (!row) return;
    const events: Envelope[] =
      order.acceptedAt === null ? [this.accept(order, new Date(row.acknowledged_at))] : [];
    if (order.brokerOrderId === null) order.brokerOrderId = row.broker_order_id;
    const outcome = applyOrderEvent(orderStateOf(order), { kind: 'ACKNOWLEDGED' });
    if (outcome.kind === 'APPLIED')
      Object.assign(order, { status: outcome.state.status, previousStatus: outcome.state.previousStatus });
    await em.flush();
    await linkBrokerOrderId(em, order.brokerOrderId, order.orderId);
    await appendToOutbox(sqlOf(em), events);
  }
}
