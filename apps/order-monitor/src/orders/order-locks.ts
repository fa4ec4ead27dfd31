import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Serialises, per order, the transactions that may race: a fill arriving before `order.submitted`
 * (parked) and `order.submitted` looking for parked fills. Keys are locked in sorted order, so two
 * transactions locking overlapping keys cannot deadlock. Released at commit.
 */
export async function lockOrderKeys(em: EntityManager, keys: readonly (string | null)[]): Promise<void> {
  for (const key of [...new Set(keys.filter((k): k is string => k !== null))].sort()) {
    await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`order:${key}`]);
  }
}
