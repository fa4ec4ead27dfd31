import { Decimal } from 'decimal.js';
import type { OrderIntent } from '../decisions/order-intent';
import { rulesFor } from './instrument-rules';
import {
  checkActiveTrade,
  checkMaxNotional,
  checkMaxPosition,
  checkPreTrade,
  type PreTradeContext,
  type PreTradeOutcome,
} from './pre-trade-checks';
import { riskLimitsOf } from './risk-limits';

const d = (value: string): Decimal => new Decimal(value);

const intent = (overrides: Partial<OrderIntent> = {}): OrderIntent => ({
  orderId: 'order-1',
  clientOrderId: 'tlp-00000000000000000000000000000001',
  decisionId: 'decision-1',
  tradeId: 'trade-1',
  legNumber: null,
  accountId: 'acc-1',
  ownerId: 'user-1',
  symbol: 'AAPL',
  assetClass: 'EQUITY',
  multiplier: '1',
  side: 'BUY',
  quantity: '10',
  orderType: 'LIMIT',
  limitPrice: '187.51',
  stopPrice: null,
  timeInForce: 'DAY',
  tradeStyle: 'DAY',
  plannedEntryPrice: null,
  plannedStopLoss: null,
  plannedTakeProfit: null,
  ...overrides,
});

const limits = riskLimitsOf({ maxNotionalPerOrder: '10000', maxPositionPerSymbol: '100' });

const context = (overrides: Partial<PreTradeContext> = {}): PreTradeContext => ({
  limits,
  rules: rulesFor('EQUITY'),
  marketOpen: true,
  referencePrice: d('187.50'),
  currentPositionQuantity: d('0'),
  activeTradeOnSymbol: false,
  ...overrides,
});

const codeOf = (outcome: PreTradeOutcome): string =>
  outcome.kind === 'DENIED' ? outcome.denial.code : 'APPROVED';

function approved(outcome: PreTradeOutcome): OrderIntent {
  if (outcome.kind !== 'APPROVED')
    throw new Error(`expected approval, got ${outcome.denial.code}: ${outcome.denial.message}`);
  return outcome.intent;
}

describe('checkPreTrade', () => {
  describe('rounding to tick and lot', () => {
    it('approves the intent with a BUY limit rounded down to the penny', () => {
      const sent = approved(checkPreTrade(intent({ limitPrice: '187.555' }), context()));
      expect(sent).toEqual(intent({ limitPrice: '187.55' }));
    });

    it('rounds a SELL limit up, so it never sells for less than approved', () => {
      expect(
        approved(checkPreTrade(intent({ side: 'SELL', limitPrice: '187.551' }), context())).limitPrice,
      ).toBe('187.56');
    });

    it('keeps four decimals below $1', () => {
      const sent = approved(checkPreTrade(intent({ limitPrice: '0.12345', quantity: '100' }), context()));
      expect(sent.limitPrice).toBe('0.1234');
    });

    it('rounds the stop of a stop-limit the same way as its limit', () => {
      const sent = approved(
        checkPreTrade(
          intent({ orderType: 'STOP_LIMIT', stopPrice: '187.555', limitPrice: '187.555' }),
          context(),
        ),
      );
      expect(sent).toMatchObject({ stopPrice: '187.55', limitPrice: '187.55' });
    });

    it('rounds the quantity down to the lot', () => {
      expect(approved(checkPreTrade(intent({ quantity: '10.9' }), context())).quantity).toBe('10');
      const crypto = intent({
        symbol: 'BTC/USD',
        assetClass: 'CRYPTO',
        quantity: '0.123456',
        limitPrice: '60000',
      });
      expect(approved(checkPreTrade(crypto, context({ rules: rulesFor('CRYPTO') }))).quantity).toBe('0.1234');
    });

    it('denies a quantity that rounds below one lot, naming the numbers', () => {
      const outcome = checkPreTrade(intent({ quantity: '0.9' }), context());
      expect(outcome).toEqual({
        kind: 'DENIED',
        denial: {
          code: 'QUANTITY_BELOW_LOT',
          message: expect.stringContaining('quantity 0.9 rounds down to 0 on lot 1'),
        },
      });
      const crypto = intent({
        assetClass: 'CRYPTO',
        symbol: 'BTC/USD',
        quantity: '0.00009',
        limitPrice: '60000',
      });
      expect(codeOf(checkPreTrade(crypto, context({ rules: rulesFor('CRYPTO') })))).toBe(
        'QUANTITY_BELOW_LOT',
      );
    });

    it('denies a quantity below the venue minimum even when it is on the lot', () => {
      const rules = rulesFor('CRYPTO', { lotSize: '0.0001', minQuantity: '0.001' });
      const crypto = intent({ assetClass: 'CRYPTO', symbol: 'BTC/USD', limitPrice: '60000' });
      expect(codeOf(checkPreTrade({ ...crypto, quantity: '0.0009' }, context({ rules })))).toBe(
        'QUANTITY_BELOW_LOT',
      );
      expect(codeOf(checkPreTrade({ ...crypto, quantity: '0.001' }, context({ rules })))).toBe('APPROVED');
    });

    it('denies a BUY limit that rounds to zero, but not a SELL that rounds up to one tick', () => {
      expect(codeOf(checkPreTrade(intent({ limitPrice: '0.00004' }), context()))).toBe('INVALID_PRICE');
      expect(
        approved(checkPreTrade(intent({ side: 'SELL', limitPrice: '0.00004' }), context())).limitPrice,
      ).toBe('0.0001');
    });

    it('denies a limit order without a limit price and a stop order without a stop price', () => {
      expect(codeOf(checkPreTrade(intent({ limitPrice: null }), context()))).toBe('INVALID_PRICE');
      expect(codeOf(checkPreTrade(intent({ orderType: 'STOP', limitPrice: null }), context()))).toBe(
        'INVALID_PRICE',
      );
    });
  });

  describe('maximum notional per order', () => {
    it('allows an order exactly at the maximum and denies one a cent over', () => {
      expect(codeOf(checkPreTrade(intent({ quantity: '1', limitPrice: '10000.00' }), context()))).toBe(
        'APPROVED',
      );
      expect(checkPreTrade(intent({ quantity: '1', limitPrice: '10000.01' }), context())).toEqual({
        kind: 'DENIED',
        denial: {
          code: 'MAX_NOTIONAL_EXCEEDED',
          message: 'order notional 10000.01 exceeds the maximum 10000 per order',
        },
      });
    });

    it('checks the rounded limit, not the requested one', () => {
      expect(codeOf(checkPreTrade(intent({ quantity: '1', limitPrice: '10000.009' }), context()))).toBe(
        'APPROVED',
      );
    });

    it('counts the contract multiplier of options', () => {
      const option = intent({
        symbol: 'AAPL261218C00190000',
        assetClass: 'OPTION',
        multiplier: '100',
        quantity: '10',
      });
      const rules = rulesFor('OPTION');
      expect(codeOf(checkPreTrade({ ...option, limitPrice: '10.00' }, context({ rules })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade({ ...option, limitPrice: '10.01' }, context({ rules })))).toBe(
        'MAX_NOTIONAL_EXCEEDED',
      );
    });

    it('bounds a market order by the reference price', () => {
      const market = intent({ orderType: 'MARKET', limitPrice: null, quantity: '50' });
      expect(codeOf(checkPreTrade(market, context({ referencePrice: d('200.00') })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(market, context({ referencePrice: d('200.01') })))).toBe(
        'MAX_NOTIONAL_EXCEEDED',
      );
    });

    it('denies a market order without a reference price', () => {
      const market = intent({ orderType: 'MARKET', limitPrice: null });
      expect(codeOf(checkPreTrade(market, context({ referencePrice: null })))).toBe('NOTIONAL_UNKNOWN');
      expect(codeOf(checkPreTrade(market, context({ referencePrice: d('0') })))).toBe('NOTIONAL_UNKNOWN');
    });

    it('bounds a stop order by the higher of its stop and the reference price', () => {
      const stop = intent({ orderType: 'STOP', limitPrice: null, stopPrice: '200.00', quantity: '50' });
      expect(codeOf(checkPreTrade(stop, context({ referencePrice: null })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(stop, context({ referencePrice: d('199') })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(stop, context({ referencePrice: d('200.01') })))).toBe(
        'MAX_NOTIONAL_EXCEEDED',
      );
    });

    it('denies a notional below the venue minimum', () => {
      const rules = rulesFor('CRYPTO', { minNotional: '5' });
      const crypto = intent({
        assetClass: 'CRYPTO',
        symbol: 'BTC/USD',
        quantity: '0.0001',
        limitPrice: '50000',
      });
      expect(codeOf(checkPreTrade(crypto, context({ rules })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade({ ...crypto, limitPrice: '49999.99' }, context({ rules })))).toBe(
        'NOTIONAL_BELOW_MINIMUM',
      );
    });
  });

  describe('maximum position per symbol', () => {
    const small = (side: 'BUY' | 'SELL', quantity: string): OrderIntent =>
      intent({ side, quantity, limitPrice: '10' });

    it('allows a position exactly at the maximum and denies one unit over', () => {
      expect(codeOf(checkPreTrade(small('BUY', '10'), context({ currentPositionQuantity: d('90') })))).toBe(
        'APPROVED',
      );
      expect(codeOf(checkPreTrade(small('BUY', '11'), context({ currentPositionQuantity: d('90') })))).toBe(
        'MAX_POSITION_EXCEEDED',
      );
    });

    it('counts short sells by absolute value', () => {
      expect(codeOf(checkPreTrade(small('SELL', '100'), context()))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(small('SELL', '101'), context()))).toBe('MAX_POSITION_EXCEEDED');
      expect(codeOf(checkPreTrade(small('SELL', '11'), context({ currentPositionQuantity: d('-90') })))).toBe(
        'MAX_POSITION_EXCEEDED',
      );
    });

    it('denies an order that would take the position through zero, and allows one that closes it exactly', () => {
      expect(codeOf(checkPreTrade(small('SELL', '160'), context({ currentPositionQuantity: d('50') })))).toBe(
        'POSITION_WOULD_REVERSE',
      );
      expect(codeOf(checkPreTrade(small('SELL', '51'), context({ currentPositionQuantity: d('50') })))).toBe(
        'POSITION_WOULD_REVERSE',
      );
      expect(codeOf(checkPreTrade(small('BUY', '31'), context({ currentPositionQuantity: d('-30') })))).toBe(
        'POSITION_WOULD_REVERSE',
      );
      expect(codeOf(checkPreTrade(small('SELL', '50'), context({ currentPositionQuantity: d('50') })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(small('BUY', '30'), context({ currentPositionQuantity: d('-30') })))).toBe('APPROVED');
    });
  });

  describe('instruments, market hours and active trades', () => {
    it('denies an instrument off the allowed list or of a disallowed asset class', () => {
      const listed = riskLimitsOf({ allowedInstruments: ['AAPL'], allowedAssetClasses: ['EQUITY'] });
      expect(codeOf(checkPreTrade(intent(), context({ limits: listed })))).toBe('APPROVED');
      expect(codeOf(checkPreTrade(intent({ symbol: 'MSFT' }), context({ limits: listed })))).toBe(
        'INSTRUMENT_NOT_ALLOWED',
      );
      const crypto = intent({ symbol: 'AAPL', assetClass: 'CRYPTO' });
      expect(codeOf(checkPreTrade(crypto, context({ limits: listed, rules: rulesFor('CRYPTO') })))).toBe(
        'INSTRUMENT_NOT_ALLOWED',
      );
    });

    it('denies when the market is closed', () => {
      expect(checkPreTrade(intent(), context({ marketOpen: false }))).toEqual({
        kind: 'DENIED',
        denial: { code: 'MARKET_CLOSED', message: 'the market for AAPL is closed' },
      });
    });

    it('denies a second active trade on the symbol, unless configured otherwise', () => {
      expect(codeOf(checkPreTrade(intent(), context({ activeTradeOnSymbol: true })))).toBe(
        'ACTIVE_TRADE_EXISTS',
      );
      const many = riskLimitsOf({ maxNotionalPerOrder: '10000', oneActiveTradePerSymbol: false });
      expect(codeOf(checkPreTrade(intent(), context({ limits: many, activeTradeOnSymbol: true })))).toBe(
        'APPROVED',
      );
    });
  });

  it('reports the first denial in the documented order', () => {
    const everythingWrong = context({
      limits: riskLimitsOf({ allowedInstruments: ['MSFT'] }),
      marketOpen: false,
      activeTradeOnSymbol: true,
    });
    expect(codeOf(checkPreTrade(intent({ quantity: '1000' }), everythingWrong))).toBe(
      'INSTRUMENT_NOT_ALLOWED',
    );
    expect(codeOf(checkPreTrade(intent({ quantity: '1000' }), { ...everythingWrong, limits }))).toBe(
      'MARKET_CLOSED',
    );
    expect(
      codeOf(
        checkPreTrade(intent({ quantity: '1000', limitPrice: null }), context({ activeTradeOnSymbol: true })),
      ),
    ).toBe('ACTIVE_TRADE_EXISTS');
    expect(codeOf(checkPreTrade(intent({ quantity: '0.5', limitPrice: '0.00001' }), context()))).toBe(
      'INVALID_PRICE',
    );
    expect(
      codeOf(checkPreTrade(intent({ quantity: '1000' }), context({ currentPositionQuantity: d('500') }))),
    ).toBe('MAX_NOTIONAL_EXCEEDED');
  });
});

describe('the individual checks', () => {
  it('checkMaxNotional allows the limit itself', () => {
    expect(checkMaxNotional(d('10000'), limits)).toBeUndefined();
    expect(checkMaxNotional(d('10000.01'), limits)?.code).toBe('MAX_NOTIONAL_EXCEEDED');
  });

  it('checkMaxPosition allows an order that brings an over-limit position closer to flat', () => {
    expect(checkMaxPosition('SELL', d('10'), d('150'), limits)).toBeUndefined();
    expect(checkMaxPosition('BUY', d('10'), d('-150'), limits)).toBeUndefined();
    expect(checkMaxPosition('BUY', d('1'), d('150'), limits)?.message).toBe(
      'position 150 BUY 1 would be 151, beyond the maximum 100 per symbol',
    );
  });

  it('checkActiveTrade allows a trade when none is active', () => {
    expect(checkActiveTrade('AAPL', false, limits)).toBeUndefined();
  });
});
