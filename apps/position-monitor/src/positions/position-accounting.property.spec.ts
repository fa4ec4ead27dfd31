import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { applyFill, type FillContext, type PositionChange } from './position-accounting';
import {
  calculateSideSign,
  calculateSignedQuantity,
  calculateUnrealizedPnl,
  checkPositionInvariants,
  exact,
  type FillInput,
  type FillSide,
  type PositionSide,
  type PositionState,
} from './position';

const START = Date.parse('2026-11-24T14:30:00.000Z');

interface FillSpec {
  side: FillSide;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
}

/** Decimals built from integers (hundredths), never from floats. */
const hundredths = (min: number, max: number): fc.Arbitrary<Decimal> =>
  fc.integer({ min, max }).map((n) => new Decimal(n).div(100));

// Whole quantities make exact closes and flips frequent; hundredths exercise the fractions.
const quantityArb = fc.oneof(
  fc.integer({ min: 1, max: 10 }).map((n) => new Decimal(n)),
  hundredths(1, 2000),
);
const fillSpecArb: fc.Arbitrary<FillSpec> = fc.record({
  side: fc.constantFrom<FillSide>('BUY', 'SELL'),
  quantity: quantityArb,
  price: hundredths(1, 50_000),
  fee: hundredths(0, 500),
});
const specsArb = fc.array(fillSpecArb, { minLength: 1, maxLength: 25 });
const multiplierArb = fc.constantFrom(new Decimal(1), new Decimal(100));

function contextFor(multiplier: Decimal): FillContext {
  let issued = 0;
  return {
    accountId: 'acc-1',
    ownerId: 'user-1',
    symbol: 'AAPL',
    assetClass: 'EQUITY',
    multiplier,
    tradeId: null,
    newPositionId: (purpose) => `pos-${purpose}-${++issued}`,
  };
}

function toFills(specs: readonly FillSpec[]): FillInput[] {
  return specs.map((spec, i) => ({
    ...spec,
    executionId: `x${i}`,
    orderId: 'o1',
    at: new Date(START + i * 1000),
  }));
}

interface Replay {
  current: PositionState | null;
  /** Last state of every lifecycle, in the order they opened. */
  lifecycles: PositionState[];
  /** The side each lifecycle opened with, by position id. */
  openedSide: Map<string, PositionSide>;
  changes: PositionChange[];
}

function replay(fills: readonly FillInput[], multiplier: Decimal): Replay {
  const context = contextFor(multiplier);
  const state: Replay = { current: null, lifecycles: [], openedSide: new Map(), changes: [] };
  for (const input of fills) {
    const result = applyFill(state.current, input, context);
    if (result.kind !== 'APPLIED') throw new Error(`fill ${input.executionId} was ${result.kind}`);
    for (const change of result.changes) record(state, change);
  }
  return state;
}

function record(state: Replay, change: PositionChange): void {
  const { position } = change;
  if (change.transition === 'OPENED') {
    state.lifecycles.push(position);
    state.openedSide.set(position.positionId, position.side);
  } else {
    state.lifecycles[state.lifecycles.length - 1] = position;
  }
  state.current = position;
  state.changes.push(change);
}

const signedSum = (fills: readonly FillInput[]): Decimal =>
  fills.reduce((sum, f) => sum.plus(f.side === 'BUY' ? f.quantity : f.quantity.neg()), exact(0));

const sumOf = (values: readonly Decimal[]): Decimal => values.reduce((sum, v) => sum.plus(v), exact(0));

/** Everything but ids, revisions and fees, as strings. */
function accounting(p: PositionState) {
  return {
    status: p.status,
    side: p.side,
    quantity: p.quantity.toFixed(),
    averageEntryPrice: p.averageEntryPrice.toFixed(),
    realizedPnlGross: p.realizedPnlGross.toFixed(),
    averageExitPrice: p.averageExitPrice?.toFixed() ?? null,
    entryQuantity: p.entryQuantity.toFixed(),
    closedQuantity: p.closedQuantity.toFixed(),
  };
}

function snapshot(p: PositionState | null) {
  if (p === null) return null;
  return {
    ...accounting(p),
    positionId: p.positionId,
    revision: p.revision,
    feesPaid: p.feesPaid.toFixed(),
    appliedExecutionIds: [...p.appliedExecutionIds].sort(),
  };
}

describe('position accounting properties', () => {
  it('keeps the signed quantity equal to the signed sum of all fills, through flips, and every invariant', () => {
    fc.assert(
      fc.property(specsArb, multiplierArb, (specs, multiplier) => {
        const fills = toFills(specs);
        const { current, lifecycles, changes } = replay(fills, multiplier);
        expect(calculateSignedQuantity(current!).toFixed()).toBe(signedSum(fills).toFixed());
        expect(changes.map((c) => checkPositionInvariants(c.position))).toEqual(changes.map(() => undefined));
        expect(sumOf(lifecycles.map((p) => p.feesPaid)).toFixed()).toBe(
          sumOf(fills.map((f) => f.fee)).toFixed(),
        );
      }),
    );
  });

  it('keeps one lifecycle whose quantity is the signed sum when the fills never reach zero', () => {
    const neverCrossing = specsArb.map((specs) => {
      let held = new Decimal(0);
      return specs.map((spec) => {
        const side: FillSide = spec.side === 'SELL' && spec.quantity.lt(held) ? 'SELL' : 'BUY';
        held = side === 'BUY' ? held.plus(spec.quantity) : held.minus(spec.quantity);
        return { ...spec, side };
      });
    });
    fc.assert(
      fc.property(neverCrossing, multiplierArb, (specs, multiplier) => {
        const fills = toFills(specs);
        const { current, lifecycles } = replay(fills, multiplier);
        expect(lifecycles).toHaveLength(1);
        expect(current?.side).toBe('LONG');
        expect(current!.quantity.toFixed()).toBe(signedSum(fills).toFixed());
      }),
    );
  });

  it('changes nothing when an applied fill of the lifecycle arrives again, at any point', () => {
    const picksArb = fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 25, maxLength: 25 });
    fc.assert(
      fc.property(specsArb, picksArb, multiplierArb, (specs, picks, multiplier) => {
        const fills = toFills(specs);
        const byId = new Map(fills.map((f) => [f.executionId, f]));
        const context = contextFor(multiplier);
        let current: PositionState | null = null;
        fills.forEach((input, i) => {
          const result = applyFill(current, input, context);
          if (result.kind !== 'APPLIED') throw new Error(result.kind);
          current = result.changes.at(-1)!.position;
          expect(applyFill(current, input, context)).toEqual({ kind: 'DUPLICATE' });
          const pick = picks[i];
          if (pick === null || pick === undefined) return;
          const applied = [...current.appliedExecutionIds].sort();
          const again = byId.get(applied[pick % applied.length]!)!;
          expect(applyFill(current, again, context)).toEqual({ kind: 'DUPLICATE' });
        });
        expect(snapshot(current)).toEqual(snapshot(replay(fills, multiplier).current));
      }),
    );
  });

  it('gives a flat position zero unrealized P&L, and a closed lifecycle exit value - entry value', () => {
    fc.assert(
      fc.property(specsArb, multiplierArb, hundredths(1, 100_000), (specs, multiplier, mark) => {
        const { lifecycles, openedSide } = replay(toFills(specs), multiplier);
        for (const p of lifecycles.filter((l) => l.side === 'FLAT')) {
          expect(calculateUnrealizedPnl(p, mark)?.toFixed()).toBe('0');
          const sign = calculateSideSign(openedSide.get(p.positionId)!);
          const expected = exact(p.exitNotional).minus(p.entryNotional).times(multiplier).times(sign);
          expect(p.realizedPnlGross.toFixed()).toBe(expected.toFixed());
        }
      }),
    );
  });

  it('gives the same accounting when one fill is split into two parts at the same price', () => {
    const caseArb = fc.record({ specs: specsArb, at: fc.nat(), cut: fc.nat(), multiplier: multiplierArb });
    fc.assert(
      fc.property(caseArb, ({ specs, at, cut, multiplier }) => {
        const fills = toFills(specs);
        const k = at % fills.length;
        const whole = fills[k]!;
        const hundredthsHeld = whole.quantity.times(100);
        fc.pre(hundredthsHeld.isInteger() && hundredthsHeld.gte(2));
        const first = new Decimal((cut % (hundredthsHeld.toNumber() - 1)) + 1).div(100);
        const firstFee = exact(whole.fee).times(first).div(whole.quantity).toSignificantDigits(20);
        const parts: FillInput[] = [
          { ...whole, executionId: `${whole.executionId}-a`, quantity: first, fee: firstFee },
          {
            ...whole,
            executionId: `${whole.executionId}-b`,
            quantity: exact(whole.quantity).minus(first),
            fee: exact(whole.fee).minus(firstFee),
          },
        ];
        const unsplit = replay(fills, multiplier).lifecycles;
        const split = replay([...fills.slice(0, k), ...parts, ...fills.slice(k + 1)], multiplier).lifecycles;

        expect(split.map(accounting)).toEqual(unsplit.map(accounting));
        expect(sumOf(split.map((p) => p.feesPaid)).toFixed()).toBe(
          sumOf(unsplit.map((p) => p.feesPaid)).toFixed(),
        );
        // Fees differ at most by the rounding of a flip's pro-rata split (20 significant digits).
        split.forEach((p, i) => expect(p.feesPaid.minus(unsplit[i]!.feesPaid).abs().lte('1e-15')).toBe(true));
      }),
    );
  });
});
