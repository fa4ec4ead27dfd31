import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { toDecimalString } from '@tlp/contracts';
import { Decimal } from 'decimal.js';
import type { ExitOrder, ExitSubmissionState } from './exit-plan';
import type { ExitLeg, Trade } from './trade';

/** Trades and their exit orders, in plain SQL inside the caller's transaction. */
@Injectable()
export class TradesRepository {
  async insertIfAbsent(em: EntityManager, trade: Trade, correlationId: string, now: Date): Promise<boolean> {
    const rows = await em.execute<{ trade_id: string }[]>(
      `INSERT INTO trades (trade_id, decision_id, account_id, owner_id, symbol, asset_class, multiplier, direction, trade_style, status,
        planned_entry_price, planned_stop_loss, planned_take_profit, entry_order_id, correlation_id, ordered_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING trade_id`,
      [
        trade.tradeId, trade.decisionId, trade.accountId, trade.ownerId, trade.symbol, trade.assetClass, str(trade.multiplier),
        trade.direction, trade.tradeStyle, trade.status, opt(trade.plannedEntryPrice), opt(trade.plannedStopLoss),
        opt(trade.plannedTakeProfit), trade.entryOrderId, correlationId, trade.orderedAt, now,
      ],
    );
    return rows.length > 0;
  }

  /** The trade, locked until the caller's transaction ends: entry and exit fills of one trade apply one at a time. */
  async lock(em: EntityManager, tradeId: string): Promise<TradeRecord | null> {
    const [row] = await em.execute<TradeRow[]>(`SELECT ${TRADE_COLUMNS} FROM trades WHERE trade_id = ? FOR UPDATE`, [tradeId]);
    return row ? recordOf(row) : null;
  }

  async save(em: EntityManager, trade: Trade, now: Date): Promise<void> {
    await em.execute(
      `UPDATE trades SET status = ?, entry_ended = ?, entry_quantity = ?, entry_price = ?, exit_quantity = ?, exit_price = ?, fees = ?,
        realized_pnl_gross = ?, realized_pnl_net = ?, exit_reason = ?, both_exits_filled = ?,
        stop_loss_order_id = ?, stop_loss_state = ?, stop_loss_filled_quantity = ?,
        take_profit_order_id = ?, take_profit_state = ?, take_profit_filled_quantity = ?, closed_at = ?, updated_at = ?
       WHERE trade_id = ?`,
      [
        trade.status, trade.entryEnded, str(trade.entryQuantity), opt(trade.entryPrice), str(trade.exitQuantity), opt(trade.exitPrice),
        str(trade.fees), str(trade.realizedPnlGross), str(trade.realizedPnlNet), trade.exitReason, trade.bothExitsFilled,
        trade.stopLoss.orderId, trade.stopLoss.state, str(trade.stopLoss.filledQuantity),
        trade.takeProfit.orderId, trade.takeProfit.state, str(trade.takeProfit.filledQuantity), trade.closedAt, now, trade.tradeId,
      ],
    );
  }

  async tradesIn(em: EntityManager, status: Trade['status']): Promise<TradeRecord[]> {
    const rows = await em.execute<TradeRow[]>(`SELECT ${TRADE_COLUMNS} FROM trades WHERE status = ? ORDER BY ordered_at`, [status]);
    return rows.map(recordOf);
  }

  async insertExit(em: EntityManager, exit: ExitOrder, now: Date): Promise<void> {
    await em.execute(
      `INSERT INTO exit_orders (order_id, trade_id, purpose, version, client_order_id, symbol, side, order_type, quantity, stop_price, limit_price,
        time_in_force, replaces_order_id, submission_state, order_class, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        exit.orderId, exit.tradeId, exit.purpose, exit.version, exit.clientOrderId, exit.symbol, exit.side, exit.orderType, str(exit.quantity),
        opt(exit.stopPrice), opt(exit.limitPrice), exit.timeInForce, exit.replacesOrderId, exit.submissionState, exit.orderClass, now, now,
      ],
    );
  }

  async exitsOf(em: EntityManager, tradeId: string): Promise<ExitOrder[]> {
    const rows = await em.execute<ExitRow[]>(`SELECT ${EXIT_COLUMNS} FROM exit_orders WHERE trade_id = ? ORDER BY purpose, version`, [tradeId]);
    return rows.map(exitOf);
  }

  async exit(em: EntityManager, orderId: string, lock = false): Promise<ExitOrder | null> {
    const [row] = await em.execute<ExitRow[]>(`SELECT ${EXIT_COLUMNS} FROM exit_orders WHERE order_id = ?${lock ? ' FOR UPDATE' : ''}`, [orderId]);
    return row ? exitOf(row) : null;
  }

  /** The other leg of the native OCO pair `orderId` belongs to now closes at most `remaining` more (its filled quantity plus that). */
  async shrinkOcoSibling(em: EntityManager, orderId: string, remaining: Decimal): Promise<void> {
    await em.execute(
      `UPDATE tracked_orders t SET quantity = LEAST(t.quantity, t.filled_quantity + ?::numeric)
       FROM exit_orders mine JOIN exit_orders sibling
         ON sibling.trade_id = mine.trade_id AND sibling.version = mine.version AND sibling.purpose <> mine.purpose AND sibling.order_class = 'OCO'
       WHERE mine.order_id = ? AND mine.order_class = 'OCO' AND t.order_id = sibling.order_id AND t.filled_quantity + ?::numeric > 0`,
      [str(Decimal.max(remaining, 0)), orderId, str(Decimal.max(remaining, 0))],
    );
  }

  /** A replacement pair not sent yet takes the quantity known after the previous pair's end was confirmed. */
  async resizeUnsentExit(em: EntityManager, orderId: string, quantity: Decimal, now: Date): Promise<void> {
    await em.execute(`UPDATE exit_orders SET quantity = ?, updated_at = ? WHERE order_id = ? AND submission_state IN ('PENDING', 'UNKNOWN')`, [str(quantity), now, orderId]);
  }

  async exitsInDoubt(em: EntityManager): Promise<ExitOrder[]> {
    const rows = await em.execute<ExitRow[]>(`SELECT ${EXIT_COLUMNS} FROM exit_orders WHERE submission_state IN ('PENDING', 'UNKNOWN') ORDER BY created_at, version`);
    return rows.map(exitOf);
  }

  async settleExit(em: EntityManager, orderId: string, state: ExitSubmissionState, brokerOrderId: string | null, message: string | null, now: Date): Promise<void> {
    await em.execute(
      `UPDATE exit_orders SET submission_state = ?, broker_order_id = COALESCE(?, broker_order_id), reject_message = ?, attempts = attempts + 1, updated_at = ? WHERE order_id = ?`,
      [state, brokerOrderId, message?.slice(0, 500) ?? null, now, orderId],
    );
  }
}

/** A trade with what the service needs beside the domain state. */
export interface TradeRecord {
  readonly trade: Trade;
  readonly correlationId: string;
}

const TRADE_COLUMNS = `trade_id, decision_id, account_id, owner_id, symbol, asset_class, multiplier::text, direction, trade_style, status,
  planned_entry_price::text, planned_stop_loss::text, planned_take_profit::text, entry_order_id, entry_ended, entry_quantity::text,
  entry_price::text, exit_quantity::text, exit_price::text, fees::text, realized_pnl_gross::text, realized_pnl_net::text, exit_reason,
  both_exits_filled, stop_loss_order_id, stop_loss_state, stop_loss_filled_quantity::text, take_profit_order_id, take_profit_state,
  take_profit_filled_quantity::text, correlation_id, ordered_at, closed_at`;

interface TradeRow {
  trade_id: string;
  decision_id: string;
  account_id: string;
  owner_id: string;
  symbol: string;
  asset_class: Trade['assetClass'];
  multiplier: string;
  direction: Trade['direction'];
  trade_style: Trade['tradeStyle'];
  status: Trade['status'];
  planned_entry_price: string | null;
  planned_stop_loss: string | null;
  planned_take_profit: string | null;
  entry_order_id: string;
  entry_ended: boolean;
  entry_quantity: string;
  entry_price: string | null;
  exit_quantity: string;
  exit_price: string | null;
  fees: string;
  realized_pnl_gross: string;
  realized_pnl_net: string;
  exit_reason: Trade['exitReason'];
  both_exits_filled: boolean;
  stop_loss_order_id: string | null;
  stop_loss_state: ExitLeg['state'];
  stop_loss_filled_quantity: string;
  take_profit_order_id: string | null;
  take_profit_state: ExitLeg['state'];
  take_profit_filled_quantity: string;
  correlation_id: string;
  ordered_at: Date | string;
  closed_at: Date | string | null;
}

function recordOf(r: TradeRow): TradeRecord {
  return {
    correlationId: r.correlation_id,
    trade: {
      tradeId: r.trade_id,
      decisionId: r.decision_id,
      accountId: r.account_id,
      ownerId: r.owner_id,
      symbol: r.symbol,
      assetClass: r.asset_class,
      multiplier: new Decimal(r.multiplier),
      direction: r.direction,
      tradeStyle: r.trade_style,
      status: r.status,
      plannedEntryPrice: dec(r.planned_entry_price),
      plannedStopLoss: dec(r.planned_stop_loss),
      plannedTakeProfit: dec(r.planned_take_profit),
      entryOrderId: r.entry_order_id,
      entryEnded: r.entry_ended,
      entryQuantity: new Decimal(r.entry_quantity),
      entryPrice: dec(r.entry_price),
      exitQuantity: new Decimal(r.exit_quantity),
      exitPrice: dec(r.exit_price),
      fees: new Decimal(r.fees),
      realizedPnlGross: new Decimal(r.realized_pnl_gross),
      realizedPnlNet: new Decimal(r.realized_pnl_net),
      exitReason: r.exit_reason,
      bothExitsFilled: r.both_exits_filled,
      stopLoss: { orderId: r.stop_loss_order_id, state: r.stop_loss_state, filledQuantity: new Decimal(r.stop_loss_filled_quantity) },
      takeProfit: { orderId: r.take_profit_order_id, state: r.take_profit_state, filledQuantity: new Decimal(r.take_profit_filled_quantity) },
      orderedAt: new Date(r.ordered_at),
      closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    },
  };
}

const EXIT_COLUMNS = `order_id, client_order_id, trade_id, purpose, version, symbol, side, order_type, quantity::text, stop_price::text, limit_price::text,
  time_in_force, replaces_order_id, submission_state, broker_order_id, order_class,
  COALESCE((SELECT t.filled_quantity FROM tracked_orders t WHERE t.order_id = exit_orders.order_id), 0)::text AS filled_quantity`;

interface ExitRow {
  order_id: string;
  client_order_id: string;
  trade_id: string;
  purpose: ExitOrder['purpose'];
  version: number;
  symbol: string;
  side: ExitOrder['side'];
  order_type: ExitOrder['orderType'];
  quantity: string;
  stop_price: string | null;
  limit_price: string | null;
  time_in_force: ExitOrder['timeInForce'];
  replaces_order_id: string | null;
  submission_state: ExitSubmissionState;
  broker_order_id: string | null;
  order_class: ExitOrder['orderClass'];
  filled_quantity: string;
}

function exitOf(r: ExitRow): ExitOrder {
  return {
    orderId: r.order_id,
    clientOrderId: r.client_order_id,
    tradeId: r.trade_id,
    purpose: r.purpose,
    version: r.version,
    symbol: r.symbol,
    side: r.side,
    orderType: r.order_type,
    quantity: new Decimal(r.quantity),
    stopPrice: dec(r.stop_price),
    limitPrice: dec(r.limit_price),
    timeInForce: r.time_in_force,
    replacesOrderId: r.replaces_order_id,
    submissionState: r.submission_state,
    brokerOrderId: r.broker_order_id,
    orderClass: r.order_class,
    filledQuantity: new Decimal(r.filled_quantity),
  };
}

const str = (v: Decimal): string => toDecimalString(v);
const opt = (v: Decimal | null): string | null => (v === null ? null : toDecimalString(v));
const dec = (v: string | null): Decimal | null => (v === null ? null : new Decimal(v));
