/**
 * Alpaca REST over global fetch. Every attempt is paced by the API's request budget and, on the
 * trading API, admitted by the circuit breaker; an open circuit fails fast with CIRCUIT_OPEN and
 * sends nothing. Attempts are repeated only as `RETRYABLE_FAILURES` allows for the method: reads on
 * any transient failure, writes only when the broker provably processed nothing.
 */
import type { CircuitState } from '../broker-health';
import type { BrokerMetricsSink, BrokerRequestStatus } from '../broker-metrics';
import { BrokerError, classifyHttpStatus, isRetriableHttpStatus } from '../errors';
import { routeTemplateOf } from './alpaca-routes';
import { AlpacaErrorBody } from './alpaca-wire';
import type { CircuitBreaker } from './circuit-breaker';
import type { RateLimiter } from './request-budget';
import { calculateBackoffMs, isBrokerFailure, isSafeToRetry, type AttemptResult, type HttpMethod, type RetryPolicy } from './retry-policy';

export interface HttpResponse {
  status: number;
  /** Parsed JSON, the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

export type AlpacaApi = 'trading' | 'data';

export interface HttpClientOptions {
  baseUrls: Record<AlpacaApi, string>;
  keyId: string;
  secretKey: string;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  limiters: Record<AlpacaApi, RateLimiter>;
  /** Guards the trading API only: a data outage must not stop order handling. */
  breaker: CircuitBreaker;
  metrics: BrokerMetricsSink;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
  random: () => number;
}

type Attempt = { result: AttemptResult; response: HttpResponse | null; error: BrokerError | null };

/** Error codes (on the cause chain) of a connection that was never established. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export class AlpacaHttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  circuitState(): CircuitState {
    return this.options.breaker.state();
  }

  /**
   * Sends `method path` with the retries its method allows. Resolves with the last response (any
   * status, a 5xx or 429 included once retries are spent); throws `BrokerError` when no response
   * came (`unsent` when the circuit was open or the connection refused).
   */
  async request(method: HttpMethod, api: AlpacaApi, path: string, body?: unknown): Promise<HttpResponse> {
    const { maxAttempts } = this.options.retry;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(method, api, path, body);
      if (!isSafeToRetry(method, outcome.result) || attempt >= maxAttempts) {
        if (outcome.response) return outcome.response;
        throw outcome.error ?? new Error('unreachable: an attempt without response nor error');
      }
      // A 429 with Retry-After or an exhausted window is paced by the limiter; anything else backs off.
      if (!(outcome.result.kind === 'RESPONSE' && this.options.limiters[api].mustWait())) {
        await this.options.sleep(calculateBackoffMs(attempt, this.options.retry, this.options.random()));
      }
    }
  }

  private async attempt(method: HttpMethod, api: AlpacaApi, path: string, body: unknown): Promise<Attempt> {
    const waitMs = this.options.limiters[api].reserve();
    if (waitMs > 0) {
      this.options.metrics.rateLimitWait(waitMs / 1000);
      await this.options.sleep(waitMs);
    }
    const admission = api === 'trading' ? this.options.breaker.admit() : { probe: false };
    if (admission === null) throw circuitOpenError(method, path);
    const started = this.options.nowMs();
    const attempt = await this.send(method, api, path, body);
    const seconds = Math.max(0, this.options.nowMs() - started) / 1000;
    if (api === 'trading') this.options.breaker.record({ failure: isBrokerFailure(attempt.result), probe: admission.probe });
    this.options.metrics.request(routeTemplateOf(path), method, statusOf(attempt.result), seconds);
    return attempt;
  }

  /** One HTTP exchange. A retriable status comes back with its response and the error it stands for. */
  private async send(method: HttpMethod, api: AlpacaApi, path: string, body: unknown): Promise<Attempt> {
    let res: Response;
    let parsed: unknown;
    try {
      res = await fetch(`${this.options.baseUrls[api]}${path}`, {
        method,
        headers: this.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      parsed = await readBody(res);
    } catch (cause) {
      const error = transportError(method, path, cause);
      const result: AttemptResult =
        error.code === 'TIMEOUT' ? { kind: 'TIMEOUT' } : { kind: 'NETWORK', connected: !error.unsent };
      return { result, response: null, error };
    }
    this.options.limiters[api].observe(res.headers);
    const response = { status: res.status, body: parsed };
    const error = isRetriableHttpStatus(res.status) ? toBrokerError(response, `${method} ${pathOf(path)}`) : null;
    return { result: { kind: 'RESPONSE', status: res.status }, response, error };
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'APCA-API-KEY-ID': this.options.keyId,
      'APCA-API-SECRET-KEY': this.options.secretKey,
      Accept: 'application/json',
    };
    if (hasBody) headers['Content-Type'] = 'application/json';
    return headers;
  }
}

function statusOf(result: AttemptResult): BrokerRequestStatus {
  if (result.kind === 'RESPONSE') return result.status;
  return result.kind === 'TIMEOUT' ? 'timeout' : 'network';
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function pathOf(path: string): string {
  return path.split('?')[0] ?? path;
}

function circuitOpenError(method: HttpMethod, path: string): BrokerError {
  return new BrokerError(`${method} ${pathOf(path)} not sent: circuit breaker open`, {
    code: 'CIRCUIT_OPEN',
    retriable: true,
    httpStatus: null,
    brokerCode: null,
    unsent: true,
  });
}

/** True when a cause on the chain says the connection was never established. */
function neverConnected(cause: unknown, depth = 0): boolean {
  if (typeof cause !== 'object' || cause === null || depth > 4) return false;
  const code = 'code' in cause ? String(cause.code) : '';
  if (NOT_CONNECTED_CODES.has(code)) return true;
  const errors = 'errors' in cause && Array.isArray(cause.errors) ? (cause.errors as unknown[]) : [];
  if (errors.length > 0 && errors.every((e) => neverConnected(e, depth + 1))) return true;
  return 'cause' in cause && neverConnected(cause.cause, depth + 1);
}

function transportError(method: HttpMethod, path: string, cause: unknown): BrokerError {
  // Duck-typed: the DOMException of an aborted fetch may come from another realm (e.g. a test VM).
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const unsent = !timedOut && neverConnected(cause);
  const what = `${method} ${pathOf(path)}`;
  const detail = unsent ? 'could not connect' : 'failed';
  return new BrokerError(timedOut ? `${what} timed out` : `${what} ${detail}: ${String(cause)}`, {
    code: timedOut ? 'TIMEOUT' : 'NETWORK',
    retriable: true,
    httpStatus: null,
    brokerCode: null,
    unsent,
    cause,
  });
}

/** The error a non-2xx response stands for, with Alpaca's `{code, message}` when present. */
export function toBrokerError(response: HttpResponse, what: string): BrokerError {
  const parsed = AlpacaErrorBody.safeParse(response.body);
  const brokerCode = parsed.success && parsed.data.code !== undefined ? String(parsed.data.code) : null;
  const text = typeof response.body === 'string' ? response.body : '';
  const message = (parsed.success ? parsed.data.message : undefined) ?? text;
  return new BrokerError(`${what}: HTTP ${response.status}${message ? ` ${message}` : ''}`, {
    code: classifyHttpStatus(response.status, brokerCode, message),
    retriable: isRetriableHttpStatus(response.status),
    httpStatus: response.status,
    brokerCode,
  });
}

/** Alpaca's error message of a response, for REJECTED outcomes. */
export function errorMessageOf(response: HttpResponse): string {
  const parsed = AlpacaErrorBody.safeParse(response.body);
  if (parsed.success && parsed.data.message) return parsed.data.message;
  return typeof response.body === 'string' ? response.body : `HTTP ${response.status}`;
}
