/**
 * Failure classes of a consumed message (house style: one exit each):
 * - the message breaks its contract: dead-letter topic, offset committed;
 * - infrastructure (database down, deadlock, broker timeout): retried with backoff, offset not
 *   committed; when retries run out the consumer stops and the process restarts (crash-only);
 * - anything else the handler throws: retried a few times, then dead-lettered with the reason.
 */
export class RetriableError extends Error {
  override readonly name = 'RetriableError';
  readonly retriable = true;
}

const RETRIABLE_PG_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const RETRIABLE_ORM_ERRORS = new Set(['ConnectionException', 'DeadlockException', 'LockWaitTimeoutException']);
const RETRIABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for errors worth retrying: declared retriable (KafkaJS style), connection and transient PostgreSQL errors. */
export function isRetriable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { retriable?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  if (e.retriable === true) return true;
  if (typeof e.code === 'string' && (RETRIABLE_PG_CODES.has(e.code) || RETRIABLE_NODE_CODES.has(e.code))) return true;
  if (typeof e.name === 'string' && RETRIABLE_ORM_ERRORS.has(e.name)) return true;
  return e.cause !== undefined && e.cause !== error && isRetriable(e.cause);
}

/** Raised when a retriable failure outlived its retries: the consumer stops and the process should restart. */
export class ConsumerStalledError extends Error {
  override readonly name = 'ConsumerStalledError';
}
