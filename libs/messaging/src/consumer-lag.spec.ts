import { describe, expect, it } from '@jest/globals';
import { applyLagReading, calculatePartitionLags } from './consumer-lag';

describe('calculatePartitionLags', () => {
  it('subtracts the committed offset from the high-water mark per partition', () => {
    const lags = calculatePartitionLags(
      [
        { partition: 0, high: '120', low: '0' },
        { partition: 1, high: '40', low: '0' },
      ],
      [
        { partition: 0, offset: '100' },
        { partition: 1, offset: '40' },
      ],
    );
    expect(lags).toEqual([
      { partition: 0, committed: 100n, lag: 20n },
      { partition: 1, committed: 40n, lag: 0n },
    ]);
  });

  it('counts a partition the group never committed from its low watermark', () => {
    const lags = calculatePartitionLags([{ partition: 0, high: '50', low: '10' }], [{ partition: 0, offset: '-1' }]);
    expect(lags).toEqual([{ partition: 0, committed: 10n, lag: 40n }]);
    expect(calculatePartitionLags([{ partition: 3, high: '5', low: '0' }], [])).toEqual([{ partition: 3, committed: 0n, lag: 5n }]);
  });

  it('never reports a negative lag (commit read after a newer high-water mark)', () => {
    expect(calculatePartitionLags([{ partition: 0, high: '10', low: '0' }], [{ partition: 0, offset: '12' }])[0]?.lag).toBe(0n);
  });
});

describe('applyLagReading', () => {
  const behind = [{ partition: 0, committed: 100n, lag: 5n }];

  it('keeps the last progress time while the group is behind and its offsets do not move', () => {
    const first = applyLagReading(undefined, behind, 1000);
    expect(first.lastProgressAt).toBe(1000);
    const stuck = applyLagReading(first, behind, 1600);
    expect(stuck.lastProgressAt).toBe(1000);
  });

  it('moves the progress time when the committed offsets advance', () => {
    const first = applyLagReading(undefined, behind, 1000);
    expect(applyLagReading(first, [{ partition: 0, committed: 101n, lag: 4n }], 1030).lastProgressAt).toBe(1030);
  });

  it('counts a caught-up group as progressing even when nothing new arrived', () => {
    const idle = [{ partition: 0, committed: 100n, lag: 0n }];
    const first = applyLagReading(undefined, idle, 1000);
    expect(applyLagReading(first, idle, 5000).lastProgressAt).toBe(5000);
  });
});
