import type { CircuitBreakerPolicy } from './circuit-breaker';
import type { RateLimitPolicy } from './request-budget';
import type { RetryPolicy } from './retry-policy';

export interface AlpacaStreamPolicy {
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  /** A ping is sent at this interval; a socket that missed the previous pong is dropped. */
  pingIntervalMs: number;
  /** Time allowed from socket open to `listening`; past it the socket is dropped and retried. */
  handshakeTimeoutMs: number;
}

/** A minimal structured logger (pino-compatible). */
export interface BrokerLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface AlpacaBrokerConfig {
  /** Trading API, e.g. `https://paper-api.alpaca.markets` (no `/v2`). */
  baseUrl: string;
  /** Market data API, e.g. `https://data.alpaca.markets`. */
  dataBaseUrl: string;
  /** Trade-updates WebSocket, e.g. `wss://paper-api.alpaca.markets/stream`. */
  streamUrl: string;
  keyId: string;
  secretKey: string;
  /** Per HTTP attempt, body included. */
  requestTimeoutMs: number;
  /** Retries of reads (and of 429s on writes). */
  retry?: Partial<RetryPolicy>;
  /** Longest wait on a rate-limit window before trying anyway, in ms. */
  maxRateLimitWaitMs?: number;
  /** Client-side pacing of the Trading API (default 200 per minute, bursts of 200). */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Circuit breaker in front of the Trading API (default 5 failures within 30 s, 15 s cool-down). */
  circuitBreaker?: Partial<CircuitBreakerPolicy>;
  /** Rows per GET /v2/orders page when listing (1-500, default 500). */
  ordersPageSize?: number;
  stream?: Partial<AlpacaStreamPolicy>;
  logger?: BrokerLogger;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4000 };
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 10_000;
export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { requestsPerMinute: 200, burst: 200 };
export const DEFAULT_CIRCUIT_BREAKER_POLICY: CircuitBreakerPolicy = { failureThreshold: 5, failureWindowMs: 30_000, coolDownMs: 15_000 };
export const DEFAULT_STREAM_POLICY: AlpacaStreamPolicy = {
  reconnectBaseDelayMs: 250,
  reconnectMaxDelayMs: 30_000,
  pingIntervalMs: 20_000,
  handshakeTimeoutMs: 10_000,
};
