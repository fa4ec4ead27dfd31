/**
 * Consumer lag from the broker side: the high-water mark of each partition against the group's
 * committed offset, so a consumer that stopped (and emits nothing any more) still shows its lag.
 *
 * Invariants: lag is never negative; a partition the group never committed (offset -1) counts from
 * the partition's low watermark (what a new group reading from the beginning still has to read);
 * a topic "progresses" when the group's committed offsets advanced or it has nothing left to read.
 */

export interface PartitionOffsets {
  readonly partition: number;
  /** High-water mark: offset of the next record to be written. */
  readonly high: string;
  /** Low watermark: offset of the oldest record still retained. */
  readonly low: string;
}

export interface PartitionCommit {
  readonly partition: number;
  /** Committed offset of the group, `-1` when none yet. */
  readonly offset: string;
}

export interface PartitionLag {
  readonly partition: number;
  readonly committed: bigint;
  readonly lag: bigint;
}

/** Lag per partition of one topic for one group. */
export function calculatePartitionLags(offsets: readonly PartitionOffsets[], commits: readonly PartitionCommit[]): PartitionLag[] {
  const committedBy = new Map(commits.map((c) => [c.partition, BigInt(c.offset)]));
  return offsets.map(({ partition, high, low }) => {
    const raw = committedBy.get(partition) ?? -1n;
    const committed = raw < 0n ? BigInt(low) : raw;
    const lag = BigInt(high) - committed;
    return { partition, committed, lag: lag > 0n ? lag : 0n };
  });
}

export interface TopicProgress {
  /** Sum of the committed offsets over the topic's partitions at the last reading. */
  readonly committedSum: bigint;
  /** Unix seconds of the last reading that showed progress. */
  readonly lastProgressAt: number;
}

/** Folds one reading of a topic's lags into its progress: advanced or caught up means progress now. */
export function applyLagReading(previous: TopicProgress | undefined, lags: readonly PartitionLag[], nowSeconds: number): TopicProgress {
  const committedSum = lags.reduce((sum, l) => sum + l.committed, 0n);
  const caughtUp = lags.every((l) => l.lag === 0n);
  const advanced = previous === undefined || committedSum > previous.committedSum;
  return { committedSum, lastProgressAt: caughtUp || advanced ? nowSeconds : previous.lastProgressAt };
}
