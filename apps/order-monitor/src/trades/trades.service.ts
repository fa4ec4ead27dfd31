import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Envelope, TradePlan } from '@tlp/contracts';
import { METRICS_REGISTRY } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import type { Counter, Registry } from 'prom-client';
import type { TerminalStatus } from '../orders/order-events';
import type { TrackedOrder } from '../orders/tracked-order.entity';
import { planExits, planSiblingCancels, usesNativeOco, type ExitOrder, type TradeCommand } from './exit-plan';
import { directionOf, legOf, type ExitPurpose, type Trade } from './trade';
import { tradeAlertedEvent, tradeClosedEvent, type TradeEventMeta } from './trade-events';
import { applyTradeEvent, type TradeEffect, type TradeEvent } from './trade-lifecycle';
import { tradeEventsRefusedCounter } from './trades.metrics';
import { TradesRepository, type TradeRecord } from './trades.repository';

/** A fill as the orders code applied it: `quantity` is the delta it added to the order (not the report's own quantity). */
export interface TradeFill {
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly fee: Decimal;
  readonly cumulativeQuantity: Decimal;
  readonly at: Date;
}

/** What the caller does with a trade change: append `events` to the outbox in its transaction, run `commands` after commit. */
export interface TradeOutcome {
  readonly events: Envelope[];
  readonly commands: TradeCommand[];
}

const NOTHING: TradeOutcome = { events: [], commands: [] };
const EXITS: ReadonlySet<string> = new Set<ExitPurpose>(['STOP_LOSS', 'TAKE_PROFIT']);

/**
 * The trade journal, driven by the orders code from inside its own transactions: every method
 * locks the trade row, folds the change with `applyTradeEvent`, records the exit intents the new
 * state calls for, and returns the events and the after-commit commands. Nothing here calls the broker.
 */
@Injectable()
export class TradesService {
  private readonly logger = new Logger(TradesService.name);
  private readonly refused: Counter<'status' | 'event'> | null;

  constructor(
    private readonly repository: TradesRepository,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.refused = registry ? tradeEventsRefusedCounter(registry) : null;
  }

  /** Opens the journal row (ORDERED) for an ENTRY order that carries a trade plan; once per trade. */
  async onEntrySubmitted(em: EntityManager, order: TrackedOrder, tradePlan: TradePlan | undefined, at: Date): Promise<TradeOutcome> {
    if (order.ref.purpose !== 'ENTRY' || !tradePlan) return NOTHING;
    await this.repository.insertIfAbsent(em, newTrade(order, tradePlan), order.correlationId, at);
    return NOTHING;
  }

  /** Folds an applied fill of the entry or of an exit into its trade; plans, resizes or cancels exits accordingly. */
  async onFillApplied(em: EntityManager, order: TrackedOrder, fill: TradeFill, at: Date): Promise<TradeOutcome> {
    const record = await this.lockTradeOf(em, order);
    if (!record) return NOTHING;
    const { trade } = record;
    const amounts = { quantity: fill.quantity, price: fill.price, fee: fill.fee, at: fill.at };
    if (order.ref.purpose === 'ENTRY') {
      const events: TradeEvent[] = [{ type: 'ENTRY_FILLED', ...amounts }];
      if (order.status === 'FILLED') events.push({ type: 'ENTRY_ENDED', at: fill.at });
      return this.process(em, record, events, order, at);
    }
    const purpose = order.ref.purpose as ExitPurpose;
    const complete = order.status === 'FILLED' && legOf(trade, purpose).orderId === order.orderId;
    // The broker shrank the other leg of a native OCO by the same fill: mirror it, so that leg's own fill completes it.
    if (usesNativeOco(trade)) await this.repository.shrinkOcoSibling(em, order.orderId, new Decimal(order.quantity).minus(order.filledQuantity));
    return this.process(em, record, [{ type: 'EXIT_FILLED', purpose, complete, ...amounts }], order, at);
  }

  /** Folds the end of an order (canceled, expired, rejected at the broker): the entry's end, or an exit's (a confirmed sibling cancel). */
  async onOrderEnded(em: EntityManager, order: TrackedOrder, status: TerminalStatus, at: Date): Promise<TradeOutcome> {
    const record = await this.lockTradeOf(em, order);
    if (!record) return NOTHING;
    if (order.ref.purpose === 'ENTRY') return this.process(em, record, [{ type: 'ENTRY_ENDED', at }], order, at);
    const purpose = order.ref.purpose as ExitPurpose;
    // An earlier version of a resized exit ends as REPLACED or CANCELED: the leg lives on in the new version.
    if (legOf(record.trade, purpose).orderId !== order.orderId) return NOTHING;
    return this.process(em, record, [{ type: 'EXIT_ENDED', purpose, at }], order, at, status);
  }

  /** The broker refused an exit order (used by `ExitOrdersService` in its settle transaction). */
  async onExitRejected(em: EntityManager, exit: ExitOrder, message: string, at: Date): Promise<TradeOutcome> {
    const record = await this.repository.lock(em, exit.tradeId);
    if (!record || legOf(record.trade, exit.purpose).orderId !== exit.orderId) return NOTHING;
    const alert = tradeAlertedEvent(
      record.trade,
      { code: 'EXIT_REJECTED', severity: 'CRITICAL', message: `${exit.purpose} ${exit.orderId} (v${exit.version}, ${exit.quantity.toFixed()}) rejected: ${message}`, orderIds: [exit.orderId] },
      { correlationId: record.correlationId, causationId: null, at },
    );
    // A refused resize leaves the previous version working: the leg goes back to it.
    const leg = legOf(record.trade, exit.purpose);
    const events: TradeEvent[] = exit.replacesOrderId
      ? leg.state === 'OPEN' ? [{ type: 'EXIT_PLANNED', purpose: exit.purpose, orderId: exit.replacesOrderId }] : []
      : [{ type: 'EXIT_ENDED', purpose: exit.purpose, at }];
    const outcome = await this.process(em, record, events, null, at, 'REJECTED');
    return { events: [alert, ...outcome.events.filter((e) => e.eventId !== alert.eventId)], commands: outcome.commands };
  }

  private async lockTradeOf(em: EntityManager, order: TrackedOrder): Promise<TradeRecord | null> {
    if (order.ref.purpose !== 'ENTRY' && !EXITS.has(order.ref.purpose)) return null;
    const record = await this.repository.lock(em, order.ref.tradeId);
    if (record && order.ref.purpose === 'ENTRY' && record.trade.entryOrderId !== order.orderId) return null;
    return record;
  }

  private async process(em: EntityManager, record: TradeRecord, events: readonly TradeEvent[], order: TrackedOrder | null, at: Date, endStatus?: TerminalStatus): Promise<TradeOutcome> {
    const before = record.trade;
    let trade = before;
    const effects: TradeEffect[] = [];
    for (const event of events) {
      const result = applyTradeEvent(trade, event);
      if (!result.ok) {
        this.refused?.inc({ status: trade.status, event: event.type });
        this.logger.error(`trade ${trade.tradeId}: ${event.type} refused in ${trade.status} (${result.reason})`);
        continue;
      }
      trade = result.trade;
      effects.push(...result.effects);
    }
    const exits = await this.repository.exitsOf(em, trade.tradeId);
    const plan = planExits(trade, exits);
    for (const intent of plan.intents) {
      await this.repository.insertExit(em, intent, at);
      const planned = applyTradeEvent(trade, { type: 'EXIT_PLANNED', purpose: intent.purpose, orderId: intent.orderId });
      if (planned.ok) trade = planned.trade;
    }
    const cancels = before.status !== 'CLOSING' ? planSiblingCancels(trade) : [];
    await this.repository.save(em, trade, at);
    const meta = { correlationId: record.correlationId, causationId: order?.causationId ?? null, at };
    const orderIds = [trade.entryOrderId, ...exits.map((e) => e.orderId), ...plan.intents.map((i) => i.orderId)];
    const out = effects.map((effect) => this.eventOf(trade, effect, orderIds, meta, endStatus));
    if (before.status === 'ORDERED' && trade.status === 'POSITION' && trade.plannedStopLoss === null) {
      out.push(tradeAlertedEvent(trade, { code: 'UNPROTECTED_POSITION', severity: 'WARNING', message: `entry ${trade.entryOrderId} filled and the plan has no stop-loss`, orderIds: [trade.entryOrderId] }, meta));
    }
    return { events: out, commands: [...plan.commands, ...cancels] };
  }

  private eventOf(trade: Trade, effect: TradeEffect, orderIds: readonly string[], meta: TradeEventMeta, endStatus?: TerminalStatus): Envelope {
    switch (effect.kind) {
      case 'TRADE_CLOSED':
        return tradeClosedEvent(trade, orderIds, meta);
      case 'BOTH_EXITS_FILLED': {
        const ids = [trade.stopLoss.orderId, trade.takeProfit.orderId].filter((id): id is string => id !== null);
        const message = `stop-loss filled ${trade.stopLoss.filledQuantity.toFixed()} and take-profit filled ${trade.takeProfit.filledQuantity.toFixed()} against an entry of ${trade.entryQuantity.toFixed()}: the position may now be the other way round; flatten it`;
        return tradeAlertedEvent(trade, { code: 'BOTH_EXITS_FILLED', severity: 'CRITICAL', message, orderIds: ids }, meta);
      }
      case 'EXIT_LOST': {
        const leg = legOf(trade, effect.purpose);
        const ids = leg.orderId ? [leg.orderId] : [];
        const message = `${effect.purpose} ${leg.orderId ?? ''} ended ${endStatus ?? ''} while ${trade.entryQuantity.minus(trade.exitQuantity).toFixed()} are held: that side is unprotected`;
        return tradeAlertedEvent(trade, { code: 'UNPROTECTED_POSITION', severity: 'CRITICAL', message, orderIds: ids }, meta);
      }
    }
  }
}

function newTrade(order: TrackedOrder, plan: TradePlan): Trade {
  const dec = (v: string | null) => (v === null ? null : new Decimal(v));
  const ref = order.ref;
  const none = { orderId: null, state: 'NONE' as const, filledQuantity: new Decimal(0) };
  return {
    tradeId: ref.tradeId,
    decisionId: ref.decisionId,
    accountId: ref.accountId,
    ownerId: ref.ownerId,
    symbol: ref.instrument.symbol,
    assetClass: ref.instrument.assetClass,
    multiplier: new Decimal(ref.instrument.multiplier),
    direction: directionOf(ref.side),
    tradeStyle: plan.tradeStyle,
    status: 'ORDERED',
    plannedEntryPrice: dec(plan.plannedEntryPrice),
    plannedStopLoss: dec(plan.plannedStopLoss),
    plannedTakeProfit: dec(plan.plannedTakeProfit),
    entryOrderId: order.orderId,
    entryEnded: false,
    entryQuantity: new Decimal(0),
    entryPrice: null,
    exitQuantity: new Decimal(0),
    exitPrice: null,
    fees: new Decimal(0),
    realizedPnlGross: new Decimal(0),
    realizedPnlNet: new Decimal(0),
    exitReason: null,
    bothExitsFilled: false,
    stopLoss: none,
    takeProfit: none,
    orderedAt: order.submittedAt,
    closedAt: null,
  };
}
