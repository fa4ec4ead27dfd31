import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ExitOrdersService } from '../trades/exit-orders.service';
import type { TradeCommand } from '../trades/exit-plan';
import { TradesService } from '../trades/trades.service';
import type { FillReport } from '@tlp/broker';
import { toDecimalString } from '@tlp/contracts';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { decideFill } from './order-fill';
import { orderFilledEvent } from './order-events';
import { lockOrderKeys } from './order-locks';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { applyOrderEvent } from './order-state-machine';
import { orderStateOf, type TrackedOrder } from './tracked-order.entity';
import { findTrackedOrder, linkBrokerOrderId } from './tracked-orders.repository';

export type FillOutcome = 'APPLIED' | 'ALREADY_APPLIED' | 'PARKED' | 'CONFLICTING_DUPLICATE' | 'REFUSED';
export type FillSource = 'STREAM' | 'HISTORY';

interface ExecutionRow {
  quantity: string;
  price: string;
  cumulative_quantity: string;
}

/**
 * Applies broker fills to tracked orders, each at most once, and publishes one `order.filled` per
 * applied delta through the outbox. A fill for an order not known yet is parked, never dropped.
 */
@Injectable()
export class FillsService {
  private readonly logger = new Logger(FillsService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly metrics: OrderMonitorMetrics,
    private readonly trades: TradesService,
    private readonly exitOrders: ExitOrdersService,
  ) {}

  async apply(fill: FillReport, source: FillSource): Promise<FillOutcome> {
    const commands: TradeCommand[] = [];
    const outcome = await this.orm.em.fork().transactional(async (em) => {
      await lockOrderKeys(em, [fill.clientOrderId ?? fill.brokerOrderId]);
      const order = await findTrackedOrder(em, fill.clientOrderId, fill.brokerOrderId);
      if (!order) return this.park(em, fill);
      return this.applyToOrder(em, order, fill, source, commands);
    });
    this.metrics.fillProcessed(outcome, source);
    // After commit: exits to place, resize or cancel (each intent-first, so a crash here is recovered).
    if (commands.length > 0) await this.exitOrders.execute(commands);
    return outcome;
  }

  /** Applies, inside the caller's transaction, the fills parked for an order that has just become known. */
  async applyParked(em: EntityManager, order: TrackedOrder, commands: TradeCommand[] = []): Promise<number> {
    const rows = await em.execute<{ execution_id: string; report: SerializedFill }[]>(
      'DELETE FROM parked_fills WHERE client_order_id = ? OR broker_order_id = ? RETURNING execution_id, report',
      [order.clientOrderId, order.brokerOrderId ?? ''],
    );
    const fills = rows.map((r) => deserializeFill(r.report)).sort((a, b) => a.cumulativeQuantity.comparedTo(b.cumulativeQuantity));
    for (const fill of fills) this.metrics.fillProcessed(await this.applyToOrder(em, order, fill, 'STREAM', commands), 'STREAM');
    return fills.length;
  }

  private async applyToOrder(em: EntityManager, order: TrackedOrder, fill: FillReport, source: FillSource, commands: TradeCommand[]): Promise<FillOutcome> {
    const [seen] = await em.execute<ExecutionRow[]>('SELECT quantity::text, price::text, cumulative_quantity::text FROM order_executions WHERE execution_id = ?', [fill.executionId]);
    if (seen) return sameExecution(seen, fill) ? 'ALREADY_APPLIED' : this.conflicting(order, fill);
    const decision = decideFill(
      { quantity: new Decimal(order.quantity), filledQuantity: new Decimal(order.filledQuantity), averageFillPrice: order.averageFillPrice === null ? null : new Decimal(order.averageFillPrice) },
      fill,
    );
    if (decision.kind === 'ALREADY_APPLIED') return 'ALREADY_APPLIED';
    const transition = applyOrderEvent(orderStateOf(order), { kind: decision.complete ? 'FILLED' : 'FILLED_PARTIALLY', cumulativeQuantity: decision.cumulativeQuantity });
    if (transition.kind === 'REFUSED') {
      this.metrics.transitionRefused(transition.from, transition.event);
      this.logger.error(`fill ${fill.executionId} refused on order ${order.orderId} in ${transition.from}: ${transition.code}`);
      return 'REFUSED';
    }
    if (transition.kind === 'IGNORED') return 'ALREADY_APPLIED';
    if (transition.lateFill) {
      // Position truth: the broker executed it, so it is applied; the order keeps its terminal status.
      this.metrics.lateFill(order.status);
      this.logger.warn(`late fill ${fill.executionId} on order ${order.orderId} already ${order.status}; applied`);
    }
    if (decision.overfill) {
      this.metrics.overfill();
      this.logger.error(`overfill on order ${order.orderId}: broker reports ${toDecimalString(decision.cumulativeQuantity)} of ${order.quantity}`);
    }
    await em.execute(
      `INSERT INTO order_executions (execution_id, order_id, quantity, price, cumulative_quantity, fee, source, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [fill.executionId, order.orderId, toDecimalString(decision.lastQuantity), toDecimalString(fill.price), toDecimalString(decision.cumulativeQuantity), toDecimalString(fill.fee), source, fill.occurredAt],
    );
    Object.assign(order, {
      filledQuantity: toDecimalString(decision.cumulativeQuantity),
      averageFillPrice: toDecimalString(decision.averagePrice),
      status: transition.state.status,
      previousStatus: transition.state.previousStatus,
      brokerOrderId: order.brokerOrderId ?? fill.brokerOrderId,
      updatedAt: this.clock.now(),
    });
    await em.flush();
    await linkBrokerOrderId(em, order.brokerOrderId, order.orderId);
    const trade = await this.trades.onFillApplied(
      em,
      order,
      { quantity: decision.lastQuantity, price: fill.price, fee: fill.fee, cumulativeQuantity: decision.cumulativeQuantity, at: fill.occurredAt },
      this.clock.now(),
    );
    await appendToOutbox(sqlOf(em), [orderFilledEvent(order, fill, decision), ...trade.events]);
    commands.push(...trade.commands);
    return 'APPLIED';
  }

  private async park(em: EntityManager, fill: FillReport): Promise<FillOutcome> {
    await em.execute(
      'INSERT INTO parked_fills (execution_id, client_order_id, broker_order_id, report, parked_at) VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING',
      [fill.executionId, fill.clientOrderId, fill.brokerOrderId, JSON.stringify(serializeFill(fill)), this.clock.now()],
    );
    this.logger.warn(`fill ${fill.executionId} for unknown order ${fill.clientOrderId ?? fill.brokerOrderId} parked`);
    return 'PARKED';
  }

  private conflicting(order: TrackedOrder, fill: FillReport): FillOutcome {
    this.logger.error(`execution ${fill.executionId} on order ${order.orderId} seen again with different content; not applied`);
    return 'CONFLICTING_DUPLICATE';
  }
}

function sameExecution(row: ExecutionRow, fill: FillReport): boolean {
  return new Decimal(row.price).eq(fill.price) && new Decimal(row.cumulative_quantity).eq(fill.cumulativeQuantity);
}

type SerializedFill = Record<keyof FillReport, string | null>;

function serializeFill(fill: FillReport): SerializedFill {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(fill)) out[k] = v === null ? null : v instanceof Date ? v.toISOString() : String(v);
  return out as SerializedFill;
}

function deserializeFill(s: SerializedFill): FillReport {
  const dec = (v: string | null) => new Decimal(v ?? '0');
  return {
    ...(s as unknown as FillReport),
    quantity: dec(s.quantity),
    price: dec(s.price),
    cumulativeQuantity: dec(s.cumulativeQuantity),
    averagePrice: s.averagePrice === null ? null : dec(s.averagePrice),
    leavesQuantity: dec(s.leavesQuantity),
    fee: dec(s.fee),
    occurredAt: new Date(s.occurredAt ?? 0),
  };
}
