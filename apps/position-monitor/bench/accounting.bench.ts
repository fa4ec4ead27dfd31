import { Decimal } from 'decimal.js';
import { type PositionState } from '../src/positions/position';
import { applyFill, type FillContext } from '../src/positions/position-accounting';

/** One position fed a repeating pattern of scale-in, partial close, flip and close fills. */
const PATTERN = [
  { side: 'BUY', quantity: '10' },
  { side: 'BUY', quantity: '5' },
  { side: 'SELL', quantity: '8' },
  { side: 'SELL', quantity: '12' },
  { side: 'BUY', quantity: '5' },
] as const;

const context: FillContext = {
  accountId: 'bench-account',
  ownerId: 'bench-user',
  symbol: 'AAPL',
  assetClass: 'EQUITY',
  multiplier: new Decimal(1),
  tradeId: null,
  newPositionId: (purpose) => `position-${purpose}-${Math.random()}`,
};

function run(count: number): { fills: number; seconds: number } {
  let current: PositionState | null = null;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    const step = PATTERN[i % PATTERN.length]!;
    const result = applyFill(current, {
      executionId: `x-${i}`,
      orderId: `o-${i}`,
      side: step.side,
      quantity: new Decimal(step.quantity),
      price: new Decimal(100).plus(new Decimal(i % 37).dividedBy(100)),
      fee: new Decimal('0.01'),
      at: new Date(1_772_000_000_000 + i),
    }, context);
    if (result.kind !== 'APPLIED') throw new Error(`fill ${i} ${result.kind}`);
    const last = result.changes.at(-1)!.position;
    current = last.status === 'CLOSED' ? null : last;
  }
  return { fills: count, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Fills per second of the pure accounting core (`applyFill`), after a warm-up. */
export function benchAccounting(count = 100_000): { fillsPerSecond: number; fills: number; seconds: number } {
  run(Math.min(count, 10_000));
  const { fills, seconds } = run(count);
  return { fillsPerSecond: Math.round(fills / seconds), fills, seconds };
}
