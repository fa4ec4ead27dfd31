import { AsyncLocalStorage } from 'node:async_hooks';

/** The message chain a unit of work belongs to: the request or event that started it, and its direct cause. */
export interface Correlation {
  readonly correlationId: string;
  readonly causationId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();

/** Runs `fn` with `correlation` visible to {@link currentCorrelation} and every log line, across awaits. */
export function runWithCorrelation<T>(correlation: Correlation, fn: () => T): T {
  return storage.run(Object.freeze({ ...correlation }), fn);
}

/** The correlation of the running unit of work, if any. */
export function currentCorrelation(): Correlation | undefined {
  return storage.getStore();
}
