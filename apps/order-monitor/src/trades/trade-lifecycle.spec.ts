import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { calculateOcoReplacementQuantity, exitLotOf, ocoPairOf, planExits, planSiblingCancels, roundToLot, usesNativeOco, type ExitOrder } from './exit-plan';
import { legOf, TRADE_STATUSES, type Trade } from './trade';
import { applyTradeEvent, TRADE_TRANSITIONS, type TradeEffect, type TradeEvent } from './trade-lifecycle';

const d = (v: string | number) => new Decimal(v);
const at = new Date('2026-03-02T15:00:00.000Z');
const zeroLeg = { orderId: null, state: 'NONE' as const, filledQuantity: d(0) };

function ordered(overrides: Partial<Trade> = {}): Trade {
  return {
    tradeId: '8b0f8a55-1d44-4c6a-9a57-0c6f1f3b7a01',
    decisionId: '2f4c3c8e-7b1a-4a39-9d4e-5c1b0f2e9a10',
    accountId: 'acc-1',
    ownerId: 'user-1',
    symbol: 'AAPL',
    assetClass: 'EQUITY',
    multiplier: d(1),
    direction: 'LONG',
    tradeStyle: 'SWING',
    status: 'ORDERED',
    plannedEntryPrice: d('187.50'),
    plannedStopLoss: d(182),
    plannedTakeProfit: d(196),
    entryOrderId: 'a1f1b2c3-0000-4000-8000-000000000001',
    entryEnded: false,
    entryQuantity: d(0),
    entryPrice: null,
    exitQuantity: d(0),
    exitPrice: null,
    fees: d(0),
    realizedPnlGross: d(0),
    realizedPnlNet: d(0),
    exitReason: null,
    bothExitsFilled: false,
    stopLoss: zeroLeg,
    takeProfit: zeroLeg,
    orderedAt: at,
    closedAt: null,
    ...overrides,
  };
}

interface World {
  trade: Trade;
  exits: ExitOrder[];
  effects: TradeEffect[];
  commands: string[];
}

/** Applies events like the service does: fold, then plan exits (recording them as ACCEPTED) and sibling cancels. */
function given(trade: Trade, ...events: TradeEvent[]): World {
  const world: World = { trade, exits: [], effects: [], commands: [] };
  for (const event of events) when(world, event);
  return world;
}

function when(world: World, event: TradeEvent): World {
  if (event.type === 'EXIT_FILLED') {
    // The fill lands on the leg's current order, as the orders code tracks it.
    const orderId = legOf(world.trade, event.purpose).orderId;
    world.exits = world.exits.map((e) => (e.orderId === orderId ? { ...e, filledQuantity: e.filledQuantity.plus(event.quantity) } : e));
  }
  const result = applyTradeEvent(world.trade, event);
  if (!result.ok) throw new Error(`refused ${event.type}: ${result.reason}`);
  world.trade = result.trade;
  world.effects.push(...result.effects);
  const plan = planExits(world.trade, world.exits);
  for (const intent of plan.intents) {
    world.exits.push({ ...intent, submissionState: 'ACCEPTED' });
    const next = applyTradeEvent(world.trade, { type: 'EXIT_PLANNED', purpose: intent.purpose, orderId: intent.orderId });
    if (next.ok) world.trade = next.trade;
  }
  const cancels = result.from !== 'CLOSING' ? planSiblingCancels(world.trade) : [];
  world.commands.push(...[...plan.commands, ...cancels].map((c) => `${c.kind}${'purpose' in c ? ` ${c.purpose}` : ''}${'quantity' in c ? ` ${c.quantity}` : ''}`));
  return world;
}

const entryFill = (quantity: number | string, price: string, fee = '0'): TradeEvent => ({ type: 'ENTRY_FILLED', quantity: d(quantity), price: d(price), fee: d(fee), at });
const exitFill = (purpose: 'STOP_LOSS' | 'TAKE_PROFIT', quantity: number, price: string, complete = true, fee = '0'): TradeEvent => ({
  type: 'EXIT_FILLED',
  purpose,
  quantity: d(quantity),
  price: d(price),
  fee: d(fee),
  complete,
  at,
});
const exitEnded = (purpose: 'STOP_LOSS' | 'TAKE_PROFIT'): TradeEvent => ({ type: 'EXIT_ENDED', purpose, at });
const quantities = (w: World) => w.exits.map((e) => `${e.purpose} v${e.version} ${e.side} ${e.orderType} ${e.quantity.toFixed()} @ ${(e.stopPrice ?? e.limitPrice)?.toFixed()}`);

describe('trade journal', () => {
  it('SWING: entry filled, stop-loss and take-profit placed; take-profit fills, sibling cancel confirmed -> CLOSED PROFIT_TAKEN', () => {
    const w = given(ordered(), entryFill(10, '187.46'), { type: 'ENTRY_ENDED', at });
    expect(w.trade.status).toBe('POSITION');
    expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 10 @ 182', 'TAKE_PROFIT v1 SELL LIMIT 10 @ 196']);
    expect(w.commands).toEqual(['PLACE_EXITS']);

    when(w, exitFill('TAKE_PROFIT', 10, '196'));
    expect(w.trade.status).toBe('CLOSING');
    expect(w.commands).toContain('CANCEL_EXIT STOP_LOSS');

    when(w, exitEnded('STOP_LOSS'));
    expect(w.trade.status).toBe('CLOSED');
    expect(w.trade.exitReason).toBe('PROFIT_TAKEN');
    expect(w.trade.realizedPnlGross.toFixed(2)).toBe('85.40');
    expect(w.trade.exitPrice?.toFixed()).toBe('196');
    expect(w.trade.closedAt).toEqual(at);
    expect(w.effects).toEqual([{ kind: 'TRADE_CLOSED' }]);
  });

  it('stop-loss fill closes with STOPPED_OUT and net P&L after fees', () => {
    const w = given(ordered(), entryFill(10, '187.46', '1'), exitFill('STOP_LOSS', 10, '181.90', true, '1'), exitEnded('TAKE_PROFIT'));
    expect(w.trade.status).toBe('CLOSED');
    expect(w.trade.exitReason).toBe('STOPPED_OUT');
    expect(w.trade.realizedPnlGross.toFixed(2)).toBe('-55.60');
    expect(w.trade.realizedPnlNet.toFixed(2)).toBe('-57.60');
  });

  it('DAY trade gets a stop-loss only', () => {
    const w = given(ordered({ tradeStyle: 'DAY' }), entryFill(10, '187.46'));
    expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 10 @ 182']);
    expect(w.exits[0]?.timeInForce).toBe('DAY');
  });

  it('SHORT entry: exits BUY, P&L sign flipped, option multiplier applied', () => {
    const w = given(
      ordered({ direction: 'SHORT', multiplier: d(100), assetClass: 'OPTION', plannedStopLoss: d('5.50'), plannedTakeProfit: d('3.00') }),
      entryFill(2, '4.20'),
      exitFill('TAKE_PROFIT', 2, '3.00'),
      exitEnded('STOP_LOSS'),
    );
    expect(w.exits.map((e) => e.side)).toEqual(['BUY', 'BUY']);
    expect(w.exits[0]?.timeInForce).toBe('DAY');
    expect(w.trade.realizedPnlGross.toFixed(2)).toBe('240.00');
  });

  it('emulated (crypto): partial entry 4 then 6: exits sized 4, then resized to 10', () => {
    const w = given(ordered({ assetClass: 'CRYPTO', symbol: 'BTC/USD' }), entryFill(4, '187.40'));
    expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 4 @ 182', 'TAKE_PROFIT v1 SELL LIMIT 4 @ 196']);
    when(w, entryFill(6, '187.50'));
    expect(w.commands).toEqual(['PLACE_EXITS', 'RESIZE_EXIT STOP_LOSS 10', 'RESIZE_EXIT TAKE_PROFIT 10']);
    expect(quantities(w).slice(2)).toEqual(['STOP_LOSS v2 SELL STOP 10 @ 182', 'TAKE_PROFIT v2 SELL LIMIT 10 @ 196']);
    expect(w.exits[2]?.replacesOrderId).toBe(w.exits[0]?.orderId);
    expect(w.exits[2]?.clientOrderId).not.toBe(w.exits[0]?.clientOrderId);
    expect(w.trade.stopLoss.orderId).toBe(w.exits[2]?.orderId);
    expect(w.trade.entryPrice?.toFixed()).toBe('187.46');
  });

  it('both exits fill: P&L counts both fills and an alert is raised', () => {
    const w = given(ordered(), entryFill(10, '187.46'), exitFill('TAKE_PROFIT', 10, '196'));
    when(w, exitFill('STOP_LOSS', 10, '182'));
    expect(w.trade.bothExitsFilled).toBe(true);
    expect(w.effects).toContainEqual({ kind: 'BOTH_EXITS_FILLED' });
    expect(w.trade.status).toBe('CLOSED');
    expect(w.trade.exitQuantity.toFixed()).toBe('20');
    // (196 - 187.46) x 10 + (182 - 187.46) x 10
    expect(w.trade.realizedPnlGross.toFixed(2)).toBe('30.80');
    expect(w.trade.exitReason).toBe('PROFIT_TAKEN');
  });

  it('entry canceled with nothing filled -> CANCELLED, no exits', () => {
    const w = given(ordered(), { type: 'ENTRY_ENDED', at });
    expect(w.trade.status).toBe('CANCELLED');
    expect(w.exits).toEqual([]);
    expect(w.effects).toEqual([{ kind: 'TRADE_CLOSED' }]);
  });

  it('partially filled then canceled: exits sized to the filled part, trade stays a POSITION', () => {
    const w = given(ordered(), entryFill(3, '187.46'), { type: 'ENTRY_ENDED', at });
    expect(w.trade.status).toBe('POSITION');
    expect(w.trade.entryEnded).toBe(true);
    expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 3 @ 182', 'TAKE_PROFIT v1 SELL LIMIT 3 @ 196']);
  });

  it('emulated (crypto): a partial exit fill shrinks the sibling (one-updates-other) and keeps the position', () => {
    const w = given(ordered({ assetClass: 'CRYPTO', symbol: 'BTC/USD' }), entryFill(10, '187.46'), exitFill('TAKE_PROFIT', 4, '196', false));
    expect(w.trade.status).toBe('POSITION');
    expect(w.commands).toContain('RESIZE_EXIT STOP_LOSS 6');
  });

  describe('native OCO (SWING equity with both exits)', () => {
    it('places one pair of version 1, both legs OCO, the take-profit its order', () => {
      const w = given(ordered(), entryFill(10, '187.46'));
      expect(usesNativeOco(w.trade)).toBe(true);
      expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 10 @ 182', 'TAKE_PROFIT v1 SELL LIMIT 10 @ 196']);
      expect(w.exits.map((e) => e.orderClass)).toEqual(['OCO', 'OCO']);
      expect(w.commands).toEqual(['PLACE_EXITS']);
    });

    it('a further entry fill before any exit fill replaces the pair by version 2 (cancel, confirm, new OCO)', () => {
      const w = given(ordered(), entryFill(4, '187.40'), entryFill(6, '187.50'));
      expect(w.commands).toEqual(['PLACE_EXITS', 'REPLACE_OCO']);
      expect(quantities(w).slice(2)).toEqual(['STOP_LOSS v2 SELL STOP 10 @ 182', 'TAKE_PROFIT v2 SELL LIMIT 10 @ 196']);
      expect(w.exits[2]?.replacesOrderId).toBe(w.exits[0]?.orderId);
      expect(w.exits[3]?.clientOrderId).not.toBe(w.exits[1]?.clientOrderId);
      expect(w.trade.takeProfit.orderId).toBe(w.exits[3]?.orderId);
    });

    it('a partial take-profit fill plans nothing (the broker shrinks the stop-loss); the full fill cancels the sibling', () => {
      const w = given(ordered(), entryFill(10, '187.46'), exitFill('TAKE_PROFIT', 4, '196', false));
      expect(w.trade.status).toBe('POSITION');
      expect(w.commands).toEqual(['PLACE_EXITS']);
      when(w, exitFill('TAKE_PROFIT', 6, '196.10'));
      expect(w.commands).toEqual(['PLACE_EXITS', 'CANCEL_EXIT STOP_LOSS']);
      when(w, exitEnded('STOP_LOSS'));
      expect(w.trade.status).toBe('CLOSED');
      // 4 x (196 - 187.46) + 6 x (196.10 - 187.46)
      expect(w.trade.realizedPnlGross.toFixed(2)).toBe('86.00');
    });

    it('entry grows after a partial take-profit fill: version 2 of the pair sized to the open quantity (entry 10 - exits 2 = 8)', () => {
      const w = given(ordered(), entryFill(4, '187.40'), exitFill('TAKE_PROFIT', 2, '196', false));
      expect(w.commands).toEqual(['PLACE_EXITS']);
      when(w, entryFill(6, '187.50'));
      expect(w.commands).toEqual(['PLACE_EXITS', 'REPLACE_OCO']);
      expect(quantities(w).slice(2)).toEqual(['STOP_LOSS v2 SELL STOP 8 @ 182', 'TAKE_PROFIT v2 SELL LIMIT 8 @ 196']);
      expect(w.exits.slice(2).map((e) => `${e.orderClass} ${e.replacesOrderId === w.exits[e.purpose === 'STOP_LOSS' ? 0 : 1]?.orderId}`)).toEqual(['OCO true', 'OCO true']);
      expect([w.trade.stopLoss.orderId, w.trade.takeProfit.orderId]).toEqual([w.exits[2]?.orderId, w.exits[3]?.orderId]);
      // The new pair's own partial fill shrinks what it has left and the open quantity alike: nothing more.
      when(w, exitFill('TAKE_PROFIT', 3, '196', false));
      expect(w.commands).toEqual(['PLACE_EXITS', 'REPLACE_OCO']);
      expect(w.trade.status).toBe('POSITION');
    });

    it('exit fills without entry growth plan nothing: the pair remaining equals the open quantity', () => {
      const w = given(ordered(), entryFill(10, '187.46'), exitFill('TAKE_PROFIT', 2, '196', false), exitFill('STOP_LOSS', 3, '182', false));
      expect(w.commands).toEqual(['PLACE_EXITS']);
      expect(w.exits).toHaveLength(2);
    });

    it('a fully closed position plans nothing: the version 2 pair fills its 8 after the take-profit filled 2 of version 1', () => {
      const w = given(ordered(), entryFill(4, '187.40'), exitFill('TAKE_PROFIT', 2, '196', false), entryFill(6, '187.50'), exitFill('TAKE_PROFIT', 8, '196'));
      expect(w.trade.status).toBe('CLOSING');
      expect(w.commands).toEqual(['PLACE_EXITS', 'REPLACE_OCO', 'CANCEL_EXIT STOP_LOSS']);
      expect(w.exits).toHaveLength(4);
      when(w, exitEnded('STOP_LOSS'));
      expect(w.trade.status).toBe('CLOSED');
    });

    it('a replacement is sized from the previous pair\'s final fills: a fill during the cancel shrinks it, a closed position leaves nothing', () => {
      const w = given(ordered(), entryFill(4, '187.40'), exitFill('TAKE_PROFIT', 2, '196', false), entryFill(6, '187.50'));
      const v1 = ocoPairOf(w.exits, 1);
      if (!v1) throw new Error('no pair v1');
      const legs = [v1.takeProfit, v1.stopLoss];
      expect(calculateOcoReplacementQuantity(w.trade, legs, [d(2), d(0)]).toFixed()).toBe('8');
      // The take-profit filled 2 more before the cancel landed (the broker canceled the stop-loss leg): 6 are open.
      expect(calculateOcoReplacementQuantity(w.trade, legs, [d(4), d(0)]).toFixed()).toBe('6');
      // A stale final figure below what was applied never enlarges the pair.
      expect(calculateOcoReplacementQuantity(w.trade, legs, [d(1), d(0)]).toFixed()).toBe('8');
      expect(calculateOcoReplacementQuantity({ ...w.trade, entryQuantity: d(4) }, legs, [d(4), d(0)]).lte(0)).toBe(true);
      expect(calculateOcoReplacementQuantity({ ...w.trade, entryQuantity: d('10.5') }, legs, [d(2), d(0)]).toFixed()).toBe('8.5');
    });

    it('options, crypto, DAY trades and a plan with one exit keep the emulated exits', () => {
      expect(usesNativeOco(ordered({ assetClass: 'OPTION' }))).toBe(false);
      expect(usesNativeOco(ordered({ assetClass: 'CRYPTO' }))).toBe(false);
      expect(usesNativeOco(ordered({ tradeStyle: 'DAY' }))).toBe(false);
      expect(usesNativeOco(ordered({ plannedTakeProfit: null }))).toBe(false);
    });
  });

  describe('exit quantities rounded down to the lot', () => {
    it('whole shares for an equity entry filled in whole shares, whole contracts for options, 0.0001 for crypto', () => {
      expect(exitLotOf({ assetClass: 'EQUITY', entryQuantity: d(10) }).toFixed()).toBe('1');
      expect(exitLotOf({ assetClass: 'EQUITY', entryQuantity: d('0.5') }).toFixed()).toBe('0.000000001');
      expect(exitLotOf({ assetClass: 'OPTION', entryQuantity: d(2) }).toFixed()).toBe('1');
      expect(roundToLot(d('0.123456'), d('0.0001')).toFixed()).toBe('0.1234');
      expect(roundToLot(d('7'), d('1')).toFixed()).toBe('7');
    });

    it('a crypto exit is sized down to the lot of 0.0001', () => {
      const w = given(ordered({ assetClass: 'CRYPTO', symbol: 'BTC/USD', tradeStyle: 'DAY' }), entryFill('0.123456', '60000'));
      expect(quantities(w)).toEqual(['STOP_LOSS v1 SELL STOP 0.1234 @ 182']);
    });
  });

  it('an exit rejected while the position is open is reported as lost protection', () => {
    const w = given(ordered({ tradeStyle: 'DAY' }), entryFill(10, '187.46'), exitEnded('STOP_LOSS'));
    expect(w.effects).toEqual([{ kind: 'EXIT_LOST', purpose: 'STOP_LOSS' }]);
  });

  it('refuses anything once CLOSED or CANCELLED', () => {
    const w = given(ordered(), { type: 'ENTRY_ENDED', at });
    expect(applyTradeEvent(w.trade, entryFill(1, '1'))).toEqual({ ok: false, reason: 'TRADE_FINAL' });
    expect(applyTradeEvent(ordered(), exitFill('STOP_LOSS', 1, '1'))).toEqual({ ok: false, reason: 'EVENT_NOT_ALLOWED' });
    expect(TRADE_TRANSITIONS.CLOSED).toEqual([]);
  });
});

describe('trades table', () => {
  it('allows exactly the states of the transition table', () => {
    const migration = readFileSync(join(__dirname, '../migrations/migration-0003-trades.ts'), 'utf8');
    const check = /status text NOT NULL CHECK \(status IN \(([^)]*)\)\)/.exec(migration)?.[1];
    expect(check?.split(',').map((s) => s.trim().replaceAll("'", ''))).toEqual([...TRADE_STATUSES]);
    expect(Object.keys(TRADE_TRANSITIONS)).toEqual([...TRADE_STATUSES]);
  });
});
