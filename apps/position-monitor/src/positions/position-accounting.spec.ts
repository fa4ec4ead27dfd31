import { Decimal } from 'decimal.js';
import { applyFill, type FillContext, type PositionChange } from './position-accounting';
import {
  calculateEntryValue,
  calculateExitValue,
  calculateRealizedPnlNet,
  calculateRealizedPnlPercent,
  calculateUnrealizedPnl,
  type FillInput,
  type FillSide,
  type PositionState,
} from './position';

const OPENED_AT = new Date('2026-11-24T14:30:00.000Z');
const LATER = new Date('2026-11-24T15:45:00.000Z');

function contextFor(overrides: Partial<Omit<FillContext, 'newPositionId'>> = {}): FillContext {
  let issued = 0;
  return {
    accountId: 'acc-1',
    ownerId: 'user-1',
    symbol: 'AAPL',
    assetClass: 'EQUITY',
    multiplier: new Decimal(1),
    tradeId: 'trade-1',
    newPositionId: (purpose) => `pos-${purpose}-${++issued}`,
    ...overrides,
  };
}

function fill(
  executionId: string,
  side: FillSide,
  quantity: string,
  price: string,
  fee = '0',
  at = OPENED_AT,
): FillInput {
  const [q, p, f] = [quantity, price, fee].map((v) => new Decimal(v)) as [Decimal, Decimal, Decimal];
  return { executionId, orderId: `order-${executionId}`, side, quantity: q, price: p, fee: f, at };
}

/** Applies a fill that must be accepted and returns the changes it made. */
function when(current: PositionState | null, input: FillInput, context: FillContext): PositionChange[] {
  const result = applyFill(current, input, context);
  if (result.kind !== 'APPLIED') throw new Error(`expected APPLIED, got ${result.kind}`);
  return [...result.changes];
}

/** The latest lifecycle after applying every fill in order. */
function given(fills: FillInput[], context: FillContext): PositionState {
  let current: PositionState | null = null;
  for (const input of fills) current = when(current, input, context).at(-1)?.position ?? current;
  if (current === null) throw new Error('no fills given');
  return current;
}

const text = (value: Decimal | null): string | null => (value === null ? null : value.toFixed());

describe('applyFill', () => {
  it('given no position, when a buy fills, then a LONG lifecycle opens at the fill price', () => {
    const context = contextFor();
    const [change, ...rest] = when(null, fill('e1', 'BUY', '10', '100', '1'), context);
    expect(rest).toHaveLength(0);
    expect(change?.transition).toBe('OPENED');
    const p = change!.position;
    expect(p).toMatchObject({ positionId: 'pos-open-1', status: 'OPEN', side: 'LONG', revision: 1 });
    expect([p.quantity, p.averageEntryPrice, p.feesPaid, p.realizedPnlGross].map(text)).toEqual([
      '10',
      '100',
      '1',
      '0',
    ]);
    expect(p.averageExitPrice).toBeNull();
    expect(p.openedAt).toEqual(OPENED_AT);
    expect(p.closedAt).toBeNull();
  });

  it('given a long 10 at 100, when 30 more fill at 110, then the average entry is quantity-weighted', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100', '1')], context);
    const [change] = when(current, fill('e2', 'BUY', '30', '110', '2'), context);
    expect(change?.transition).toBe('INCREASED');
    const p = change!.position;
    expect(p).toMatchObject({ positionId: 'pos-open-1', side: 'LONG', revision: 2 });
    expect([p.quantity, p.averageEntryPrice, p.entryQuantity, p.feesPaid].map(text)).toEqual([
      '40',
      '107.5',
      '40',
      '3',
    ]);
  });

  it('keeps a non-terminating average to 20 significant digits and the cost basis exact', () => {
    const context = contextFor();
    const p = given([fill('e1', 'BUY', '1', '100', '0'), fill('e2', 'BUY', '2', '101', '0')], context);
    expect(text(p.averageEntryPrice)).toBe('100.66666666666666667');
    expect(text(p.openCost)).toBe('302');
  });

  it('given a long 10 at 100, when 4 sell at 110, then 40 is realized and 6 stay open at 100', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100')], context);
    const [change] = when(current, fill('e2', 'SELL', '4', '110'), context);
    expect(change?.transition).toBe('REDUCED');
    const p = change!.position;
    expect(p).toMatchObject({ status: 'OPEN', side: 'LONG', revision: 2, closedAt: null });
    expect([p.quantity, p.averageEntryPrice, p.realizedPnlGross, p.averageExitPrice].map(text)).toEqual([
      '6',
      '100',
      '40',
      '110',
    ]);
    expect(text(calculateUnrealizedPnl(p, new Decimal('105')))).toBe('30');
  });

  it('given a long reduced to 6, when the last 6 sell at 120, then the lifecycle closes FLAT', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100'), fill('e2', 'SELL', '4', '110')], context);
    const [change] = when(current, fill('e3', 'SELL', '6', '120', '0', LATER), context);
    expect(change?.transition).toBe('CLOSED');
    const p = change!.position;
    expect(p).toMatchObject({ positionId: 'pos-open-1', status: 'CLOSED', side: 'FLAT', revision: 3 });
    expect(p.closedAt).toEqual(LATER);
    expect([p.quantity, p.realizedPnlGross, p.averageExitPrice, p.closedQuantity].map(text)).toEqual([
      '0',
      '160',
      '116',
      '10',
    ]);
    expect(text(calculateUnrealizedPnl(p, new Decimal('500')))).toBe('0');
  });

  it('given a closed lifecycle, when a new fill arrives, then a new lifecycle opens with a new id', () => {
    const context = contextFor();
    const closed = given([fill('e1', 'BUY', '1', '100'), fill('e2', 'SELL', '1', '90')], context);
    const [change] = when(closed, fill('e3', 'SELL', '2', '95', '0', LATER), context);
    expect(change?.position).toMatchObject({ positionId: 'pos-open-2', side: 'SHORT', revision: 1 });
    expect(text(change!.position.realizedPnlGross)).toBe('0');
  });

  it.each([
    ['covered lower: a short gains', '45', '50'],
    ['covered higher: a short loses', '55', '-50'],
  ])('given a short 10 at 50, when %s', (_case, coverPrice, realized) => {
    const context = contextFor();
    const current = given([fill('e1', 'SELL', '10', '50')], context);
    expect(current.side).toBe('SHORT');
    expect(text(calculateUnrealizedPnl(current, new Decimal(coverPrice)))).toBe(realized);
    const [change] = when(current, fill('e2', 'BUY', '10', coverPrice), context);
    expect(change?.position.side).toBe('FLAT');
    expect(text(change!.position.realizedPnlGross)).toBe(realized);
  });

  it('given an option with multiplier 100, when it is bought at 3.50 and sold at 4.25, then P&L is x100', () => {
    const context = contextFor({
      symbol: 'AAPL240119C00100000',
      assetClass: 'OPTION',
      multiplier: new Decimal(100),
    });
    const open = given([fill('e1', 'BUY', '2', '3.50', '1.30')], context);
    expect(text(calculateUnrealizedPnl(open, new Decimal('4')))).toBe('100');
    const [change] = when(open, fill('e2', 'SELL', '2', '4.25', '1.30'), context);
    const p = change!.position;
    expect(text(p.realizedPnlGross)).toBe('150');
    expect(text(calculateRealizedPnlNet(p))).toBe('147.4');
    expect(text(calculateEntryValue(p))).toBe('700');
    expect(text(calculateExitValue(p))).toBe('850');
  });

  it('given a long 10 at 100, when 15 sell at 110, then it closes 10 and opens a short 5 at 110', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100', '1')], context);
    const [closing, opening, ...rest] = when(current, fill('e2', 'SELL', '15', '110', '3', LATER), context);
    expect(rest).toHaveLength(0);
    expect(closing?.transition).toBe('CLOSED');
    expect([closing!.part.quantity, closing!.part.fee].map(text)).toEqual(['10', '2']);
    expect(closing?.position).toMatchObject({ positionId: 'pos-open-1', status: 'CLOSED', side: 'FLAT' });
    expect([closing!.position.realizedPnlGross, closing!.position.feesPaid].map(text)).toEqual(['100', '3']);
    expect(text(calculateRealizedPnlNet(closing!.position))).toBe('97');

    expect(opening?.transition).toBe('OPENED');
    expect([opening!.part.quantity, opening!.part.fee].map(text)).toEqual(['5', '1']);
    const p = opening!.position;
    expect(p).toMatchObject({ positionId: 'pos-flip-2', status: 'OPEN', side: 'SHORT', revision: 1 });
    expect([p.quantity, p.averageEntryPrice, p.feesPaid, p.realizedPnlGross].map(text)).toEqual([
      '5',
      '110',
      '1',
      '0',
    ]);
    expect(p.openedAt).toEqual(LATER);
  });

  it('given a flip whose fee does not divide evenly, then the two fee parts still sum exactly to the fee', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100')], context);
    const [closing, opening] = when(current, fill('e2', 'SELL', '15', '110', '1'), context);
    expect(text(closing!.part.fee)).toBe('0.66666666666666666666');
    expect(text(opening!.part.fee)).toBe('0.33333333333333333334');
    expect(text(closing!.part.fee.plus(opening!.part.fee))).toBe('1');
  });

  it('given fees on both sides, then net P&L and its percentage are after fees', () => {
    const context = contextFor();
    const current = given([fill('e1', 'BUY', '10', '100', '1.25')], context);
    const [change] = when(current, fill('e2', 'SELL', '10', '101', '1.25'), context);
    const p = change!.position;
    expect([p.realizedPnlGross, p.feesPaid].map(text)).toEqual(['10', '2.5']);
    expect(text(calculateRealizedPnlNet(p))).toBe('7.5');
    expect(text(calculateRealizedPnlPercent(p))).toBe('0.75');
    expect(calculateRealizedPnlPercent(current)).toBeNull();
  });

  it.each([
    ['on an open lifecycle', [fill('e1', 'BUY', '10', '100')], fill('e1', 'BUY', '10', '100')],
    [
      'on the lifecycle it closed',
      [fill('e1', 'BUY', '10', '100'), fill('e2', 'SELL', '10', '101')],
      fill('e2', 'SELL', '10', '101'),
    ],
    [
      'on the lifecycle a flip opened',
      [fill('e1', 'BUY', '10', '100'), fill('e2', 'SELL', '15', '101')],
      fill('e2', 'SELL', '15', '101'),
    ],
  ])(
    'given an execution already applied %s, when it arrives again, then nothing changes',
    (_c, fills, again) => {
      const context = contextFor();
      const current = given(fills, context);
      expect(applyFill(current, again, context)).toEqual({ kind: 'DUPLICATE' });
    },
  );

  it.each([
    ['INVALID_FILL_QUANTITY', null, fill('e1', 'BUY', '0', '100')],
    ['INVALID_FILL_PRICE', null, fill('e1', 'BUY', '1', '-1')],
    ['INVALID_FILL_FEE', null, fill('e1', 'BUY', '1', '100', '-0.01')],
    ['INVALID_FILL_TIME', null, fill('e1', 'BUY', '1', '100', '0', new Date(Number.NaN))],
    ['INVALID_EXECUTION_ID', null, fill('', 'BUY', '1', '100')],
    ['ACCOUNT_MISMATCH', 'acc-2', fill('e2', 'BUY', '1', '100')],
  ])('refuses with %s and changes nothing', (code, otherAccount, input) => {
    const current = otherAccount === null ? null : given([fill('e1', 'BUY', '1', '100')], contextFor());
    const context = contextFor(otherAccount === null ? {} : { accountId: otherAccount });
    expect(applyFill(current, input, context)).toMatchObject({ kind: 'REFUSED', code });
  });

  it('refuses a fill for another instrument than the position it is applied to', () => {
    const current = given([fill('e1', 'BUY', '1', '100')], contextFor());
    const result = applyFill(current, fill('e2', 'BUY', '1', '100'), contextFor({ symbol: 'MSFT' }));
    expect(result).toMatchObject({ kind: 'REFUSED', code: 'INSTRUMENT_MISMATCH' });
  });
});
