import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import { clientOrderId } from '../broker-ids';
import { BrokerError } from '../errors';
import {
  executionIdOfActivity,
  mapOrderStatus,
  toFillReport,
  toMarketClock,
  toOrderStatusReport,
  toPositionStatusReport,
  toQuote,
  toTradeUpdate,
} from './alpaca-mapping';
import { checkSubmitOrder, toOrderRequest, toReplaceRequest } from './alpaca-requests';
import { AlpacaFillActivity, AlpacaOrder, AlpacaTradeUpdate, type AlpacaOrder as AlpacaOrderT } from './alpaca-wire';

const ORDER: AlpacaOrderT = AlpacaOrder.parse({
  id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
  client_order_id: 'dec-42-entry',
  created_at: '2021-03-16T18:38:01.942282Z',
  updated_at: '2021-03-16T14:38:02.000123456-04:00',
  submitted_at: '2021-03-16T18:38:01.937734Z',
  filled_at: null,
  expired_at: null,
  canceled_at: null,
  replaced_by: null,
  replaces: null,
  asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
  symbol: 'AAPL',
  asset_class: 'us_equity',
  notional: null,
  qty: '10',
  filled_qty: '4',
  filled_avg_price: '187.515',
  order_class: '',
  order_type: 'limit',
  type: 'limit',
  side: 'buy',
  time_in_force: 'day',
  limit_price: '187.6',
  stop_price: null,
  status: 'partially_filled',
  extended_hours: false,
  legs: null,
});

describe('toOrderStatusReport', () => {
  it('maps an Alpaca order with decimals from strings and timestamps with Z or offsets', () => {
    const report = toOrderStatusReport(ORDER);
    expect(report).toMatchObject({
      brokerOrderId: ORDER.id,
      clientOrderId: 'dec-42-entry',
      symbol: 'AAPL',
      assetClass: 'EQUITY',
      side: 'BUY',
      orderType: 'LIMIT',
      timeInForce: 'DAY',
      status: 'PARTIALLY_FILLED',
      rawStatus: 'partially_filled',
      stopPrice: null,
      replacedBy: null,
    });
    expect(report.quantity.toFixed()).toBe('10');
    expect(report.filledQuantity.toFixed()).toBe('4');
    expect(report.averageFillPrice?.toFixed()).toBe('187.515');
    expect(report.limitPrice?.toFixed()).toBe('187.6');
    expect(report.createdAt.toISOString()).toBe('2021-03-16T18:38:01.942Z');
    expect(report.updatedAt.toISOString()).toBe('2021-03-16T18:38:02.000Z');
    expect(report.submittedAtRaw).toBe('2021-03-16T18:38:01.937734Z');
  });

  it('uses the filled quantity for a notional order without qty', () => {
    const report = toOrderStatusReport({ ...ORDER, qty: null, notional: '500', filled_qty: '2.5', status: 'filled' });
    expect(report.quantity.toFixed()).toBe('2.5');
    expect(report.notional?.toFixed()).toBe('500');
  });

  it('rejects a timestamp that is not RFC 3339', () => {
    expect(() => toOrderStatusReport({ ...ORDER, created_at: '16/03/2021' })).toThrow(BrokerError);
  });
});

describe('mapOrderStatus', () => {
  const ten = new Decimal(10);
  it.each([
    ['new', 'NEW'],
    ['accepted', 'ACCEPTED'],
    ['pending_new', 'ACCEPTED'],
    ['accepted_for_bidding', 'ACCEPTED'],
    ['partially_filled', 'PARTIALLY_FILLED'],
    ['filled', 'FILLED'],
    ['canceled', 'CANCELED'],
    ['expired', 'EXPIRED'],
    ['rejected', 'REJECTED'],
    ['replaced', 'REPLACED'],
    ['pending_cancel', 'PENDING_CANCEL'],
    ['pending_replace', 'PENDING_REPLACE'],
    ['done_for_day', 'DONE_FOR_DAY'],
    ['held', 'ACCEPTED'],
    ['suspended', 'ACCEPTED'],
  ])('%s -> %s', (raw, expected) => {
    expect(mapOrderStatus(raw, new Decimal(0), ten)).toBe(expected);
  });

  it('maps calculated by whether anything is left', () => {
    expect(mapOrderStatus('calculated', ten, ten)).toBe('FILLED');
    expect(mapOrderStatus('calculated', new Decimal(3), ten)).toBe('DONE_FOR_DAY');
  });

  it('keeps a stopped order working', () => {
    expect(mapOrderStatus('stopped', new Decimal(0), ten)).toBe('NEW');
    expect(mapOrderStatus('stopped', new Decimal(2), ten)).toBe('PARTIALLY_FILLED');
  });

  it('fails loudly on an unknown status', () => {
    expect(() => mapOrderStatus('teleported', new Decimal(0), ten)).toThrow(/unknown Alpaca order status/);
  });
});

describe('toTradeUpdate', () => {
  it('turns a partial_fill into a fill report of this execution with cumulative order state', () => {
    const update = toTradeUpdate(
      AlpacaTradeUpdate.parse({
        event: 'partial_fill',
        execution_id: '7a1a0b4e-0b7c-4b55-8d52-0e3e0c7a9f11',
        price: '187.52',
        qty: '4',
        position_qty: '-6',
        timestamp: '2021-03-16T18:38:02.123456789Z',
        order: ORDER,
      }),
    );
    expect(update.event).toBe('partial_fill');
    expect(update.positionQuantity?.toFixed()).toBe('-6');
    expect(update.at.toISOString()).toBe('2021-03-16T18:38:02.123Z');
    const fill = update.fill;
    expect(fill).not.toBeNull();
    expect(fill?.executionId).toBe('7a1a0b4e-0b7c-4b55-8d52-0e3e0c7a9f11');
    expect(fill?.quantity.toFixed()).toBe('4');
    expect(fill?.price.toFixed()).toBe('187.52');
    expect(fill?.cumulativeQuantity.toFixed()).toBe('4');
    expect(fill?.averagePrice?.toFixed()).toBe('187.515');
    expect(fill?.leavesQuantity.toFixed()).toBe('6');
    expect(fill?.fee.toFixed()).toBe('0');
    expect(fill?.orderStatus).toBe('PARTIALLY_FILLED');
  });

  it('has no fill for a non-execution event and falls back to the order time', () => {
    const update = toTradeUpdate(AlpacaTradeUpdate.parse({ event: 'canceled', order: { ...ORDER, status: 'canceled' } }));
    expect(update.fill).toBeNull();
    expect(update.order.status).toBe('CANCELED');
    expect(update.at.toISOString()).toBe('2021-03-16T18:38:02.000Z');
  });

  it('refuses a fill event without an execution id', () => {
    expect(() => toTradeUpdate(AlpacaTradeUpdate.parse({ event: 'fill', price: '1', qty: '1', order: ORDER }))).toThrow(
      /lacks execution_id/,
    );
  });
});

describe('toFillReport (FILL activity)', () => {
  const activity = AlpacaFillActivity.parse({
    id: '20210316183802123::7a1a0b4e-0b7c-4b55-8d52-0e3e0c7a9f11',
    activity_type: 'FILL',
    transaction_time: '2021-03-16T14:38:02.123-04:00',
    type: 'partial_fill',
    price: '187.52',
    qty: '4',
    side: 'sell_short',
    symbol: 'AAPL',
    leaves_qty: '6',
    order_id: ORDER.id,
    cum_qty: '4',
    order_status: 'partially_filled',
  });

  it('keeps the activity id and takes the execution id from its uuid part', () => {
    const fill = toFillReport(activity);
    expect(fill.activityId).toBe(activity.id);
    expect(fill.executionId).toBe('7a1a0b4e-0b7c-4b55-8d52-0e3e0c7a9f11');
    expect(fill.side).toBe('SELL');
    expect(fill.clientOrderId).toBeNull();
    expect(fill.averagePrice).toBeNull();
    expect(fill.occurredAt.toISOString()).toBe('2021-03-16T18:38:02.123Z');
    expect(fill.orderStatus).toBe('PARTIALLY_FILLED');
  });

  it('leaves an id without a separator as it is', () => {
    expect(executionIdOfActivity('abc')).toBe('abc');
  });
});

describe('positions, quotes and clock', () => {
  it('signs a short position even when qty comes unsigned', () => {
    const report = toPositionStatusReport({ symbol: 'TSLA', qty: '5', side: 'short', avg_entry_price: '200.1' });
    expect(report.quantity.toFixed()).toBe('-5');
    expect(report.marketValue).toBeNull();
  });

  it('reads numeric quote prices without float artefacts and treats 0 as no quote', () => {
    const quote = toQuote('AAPL', { t: '2024-01-02T15:00:00.123456789Z', bp: 187.51, ap: 0 });
    expect(quote.bid?.toFixed()).toBe('187.51');
    expect(quote.ask).toBeNull();
  });

  it('parses the clock with ET offsets', () => {
    const clock = toMarketClock({
      timestamp: '2024-01-02T10:00:00.5-05:00',
      is_open: true,
      next_open: '2024-01-03T09:30:00-05:00',
      next_close: '2024-01-02T16:00:00-05:00',
    });
    expect(clock.at.toISOString()).toBe('2024-01-02T15:00:00.500Z');
    expect(clock.nextClose.toISOString()).toBe('2024-01-02T21:00:00.000Z');
  });
});

describe('requests', () => {
  const command = {
    clientOrderId: clientOrderId('dec-42-entry'),
    symbol: 'AAPL',
    side: 'BUY' as const,
    orderType: 'LIMIT' as const,
    timeInForce: 'DAY' as const,
    quantity: new Decimal('0.5'),
    limitPrice: new Decimal('187.50'),
  };

  it('sends decimals as strings and enums in Alpaca spelling', () => {
    expect(toOrderRequest(command)).toEqual({
      symbol: 'AAPL',
      qty: '0.5',
      side: 'buy',
      type: 'limit',
      time_in_force: 'day',
      limit_price: '187.5',
      client_order_id: 'dec-42-entry',
    });
  });

  it('sends only the changed fields of a replace', () => {
    expect(toReplaceRequest({ limitPrice: new Decimal('188') })).toEqual({ limit_price: '188' });
  });

  it('denies orders the broker would refuse', () => {
    expect(checkSubmitOrder(command)).toBeNull();
    expect(checkSubmitOrder({ ...command, limitPrice: null })).toMatch(/limit price/);
    expect(checkSubmitOrder({ ...command, quantity: new Decimal(0) })).toMatch(/quantity/);
  });
});

describe('OCO exit pairs', () => {
  const takeProfit = {
    clientOrderId: clientOrderId('tlp-tp'),
    symbol: 'AAPL',
    side: 'SELL' as const,
    orderType: 'LIMIT' as const,
    timeInForce: 'GTC' as const,
    quantity: new Decimal('10'),
    limitPrice: new Decimal('195.00'),
    oco: { stopPrice: new Decimal('181.50') },
  };

  it('sends order_class oco with the stop-loss leg', () => {
    expect(toOrderRequest(takeProfit)).toMatchObject({ order_class: 'oco', type: 'limit', limit_price: '195', stop_loss: { stop_price: '181.5' } });
    expect(toOrderRequest(takeProfit).stop_loss).not.toHaveProperty('limit_price');
  });

  it('denies an OCO that is not a limit, or whose stop is not a cent beyond the take-profit', () => {
    expect(checkSubmitOrder(takeProfit)).toBeNull();
    expect(checkSubmitOrder({ ...takeProfit, orderType: 'MARKET', limitPrice: null })).toMatch(/LIMIT/);
    expect(checkSubmitOrder({ ...takeProfit, oco: { stopPrice: new Decimal('194.995') } })).toMatch(/0.01 beyond/);
    expect(checkSubmitOrder({ ...takeProfit, side: 'BUY', oco: { stopPrice: new Decimal('196') } })).toBeNull();
  });

  it('maps the parent and its legs', () => {
    const leg = { ...ORDER, id: 'c0a8c8a2-1111-4bfd-b9c3-01e75843f47d', client_order_id: 'broker-made', type: 'stop', order_type: 'stop', limit_price: null, stop_price: '181.5', order_class: 'oco', legs: undefined };
    const parent = AlpacaOrder.parse({ ...ORDER, order_class: 'oco', legs: [leg] });
    const report = toOrderStatusReport(parent);
    expect(report.orderClass).toBe('OCO');
    expect(report.legs).toHaveLength(1);
    expect(report.legs?.[0]).toMatchObject({ brokerOrderId: leg.id, clientOrderId: 'broker-made', orderType: 'STOP', orderClass: 'OCO', legs: [] });
    expect(toOrderStatusReport(ORDER)).toMatchObject({ orderClass: 'SIMPLE', legs: [] });
  });
});
