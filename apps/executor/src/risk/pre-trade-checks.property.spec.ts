import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { OrderIntent } from '../decisions/order-intent';
import { rulesFor, type InstrumentRules } from './instrument-rules';
import { checkPreTrade } from './pre-trade-checks';
import { riskLimitsOf } from './risk-limits';

/** Decimals built from an integer and a scale, never from floats. */
const scaled = (max: number, maxScale: number): fc.Arbitrary<Decimal> =>
  fc
    .tuple(fc.integer({ min: 1, max }), fc.integer({ min: 0, max: maxScale }))
    .map(([n, scale]) => new Decimal(n).div(new Decimal(10).pow(scale)));

const instrumentArb: fc.Arbitrary<{
  assetClass: OrderIntent['assetClass'];
  multiplier: string;
  rules: InstrumentRules;
}> = fc.oneof(
  fc.boolean().map((fractional) => ({
    assetClass: 'EQUITY' as const,
    multiplier: '1',
    rules: rulesFor('EQUITY', { fractional }),
  })),
  fc.constant({ assetClass: 'OPTION' as const, multiplier: '100', rules: rulesFor('OPTION') }),
  fc.constantFrom(undefined, '0.00001', '0.5').map((tickSize) => ({
    assetClass: 'CRYPTO' as const,
    multiplier: '1',
    rules: rulesFor('CRYPTO', { tickSize }),
  })),
);

const scenarioArb = fc.record({
  instrument: instrumentArb,
  side: fc.constantFrom<OrderIntent['side']>('BUY', 'SELL'),
  orderType: fc.constantFrom<OrderIntent['orderType']>('LIMIT', 'MARKET'),
  quantity: scaled(5_000, 6),
  price: scaled(50_000_000, 7),
  referencePrice: fc.option(scaled(50_000_000, 7), { nil: null }),
  // Either an arbitrary limit, or one just below the requested notional, where rounding decides.
  maxNotional: fc.oneof(
    scaled(2_000_000, 2).map((amount) => ({ amount, centsBelowRequested: null })),
    fc.integer({ min: 0, max: 3 }).map((cents) => ({ amount: null, centsBelowRequested: cents })),
  ),
});

function maxNotionalOf(s: Scenario): Decimal {
  if (s.maxNotional.amount !== null) return s.maxNotional.amount;
  const requested = s.quantity.times(s.orderType === 'LIMIT' ? s.price : (s.referencePrice ?? s.price));
  return Decimal.max(
    requested.times(s.instrument.multiplier).minus(new Decimal(s.maxNotional.centsBelowRequested).div(100)),
    '0.01',
  );
}
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

describe('checkPreTrade (properties)', () => {
  it('approves only orders within the maximum notional, on the tick and the lot', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const intent: OrderIntent = {
          orderId: 'order-1',
          clientOrderId: 'tlp-1',
          decisionId: 'decision-1',
          tradeId: 'trade-1',
          legNumber: null,
          accountId: 'acc-1',
          ownerId: 'user-1',
          symbol: 'SYM',
          assetClass: s.instrument.assetClass,
          multiplier: s.instrument.multiplier,
          side: s.side,
          quantity: s.quantity.toFixed(),
          orderType: s.orderType,
          limitPrice: s.orderType === 'LIMIT' ? s.price.toFixed() : null,
          stopPrice: null,
          tradeStyle: 'DAY',
          plannedEntryPrice: null,
          plannedStopLoss: null,
          plannedTakeProfit: null,
          timeInForce: 'DAY',
        };
        const maxNotional = maxNotionalOf(s);
        const limits = riskLimitsOf({ maxNotionalPerOrder: maxNotional, maxPositionPerSymbol: '1000000' });
        const { rules } = s.instrument;
        const outcome = checkPreTrade(intent, {
          limits,
          rules,
          marketOpen: true,
          referencePrice: s.referencePrice,
          currentPositionQuantity: new Decimal(0),
          activeTradeOnSymbol: false,
        });
        if (outcome.kind === 'DENIED') return;

        const sent = outcome.intent;
        const quantity = new Decimal(sent.quantity);
        const unitPrice = sent.limitPrice === null ? s.referencePrice : new Decimal(sent.limitPrice);
        expect(unitPrice).not.toBeNull();
        const notional = quantity.times(unitPrice ?? 0).times(s.instrument.multiplier);
        expect(notional.lte(maxNotional)).toBe(true);
        expect(quantity.mod(rules.lotSize).isZero()).toBe(true);
        expect(quantity.lte(s.quantity) && quantity.gt(s.quantity.minus(rules.lotSize))).toBe(true);

        if (sent.limitPrice !== null) {
          const limit = new Decimal(sent.limitPrice);
          expect(limit.gt(0)).toBe(true);
          expect(limit.mod(rules.tickSize(limit)).isZero()).toBe(true);
          // Never worse than approved, and moved by less than one tick.
          const moved = s.side === 'BUY' ? s.price.minus(limit) : limit.minus(s.price);
          expect(moved.gte(0) && moved.lt(rules.tickSize(s.price))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
