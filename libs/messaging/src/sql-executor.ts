import type { EntityManager } from '@mikro-orm/core';

/** The one thing inbox and outbox need from a database transaction: run a parameterised statement. */
export interface SqlExecutor {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

interface ExecutingEntityManager {
  execute(sql: string, params?: unknown[], method?: 'all' | 'get' | 'run'): Promise<unknown>;
}

/**
 * Adapts a MikroORM (PostgreSQL) entity manager. Inside `em.transactional(tem => ...)` the statements
 * run in that transaction, which is what makes inbox, state change and outbox commit together.
 */
export function sqlOf(em: EntityManager): SqlExecutor {
  const executing = em as unknown as ExecutingEntityManager;
  return {
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) =>
      (await executing.execute(sql, [...params], 'all')) as T[],
  };
}
