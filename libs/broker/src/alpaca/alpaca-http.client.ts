/**
 * Alpaca REST over global fetch. Reads are retried on 429, 5xx, timeouts and network errors
 * (bounded by the retry policy); writes are sent once, because a repeated POST may place a second
 * order: the caller turns an unanswered write into an UNKNOWN outcome. A 429 is the exception, as the
 * request was refused before it was processed.
 */
import { BrokerError, classifyHttpStatus, isRetriableHttpStatus } from '../errors';
import { AlpacaErrorBody } from './alpaca-wire';
import {
  calculateBackoffMs,
  calculateRateLimitWaitMs,
  calculateRetryAfterMs,
  parseRateLimitHeaders,
  type RateLimitState,
  type RetryPolicy,
} from './retry-policy';

export interface HttpResponse {
  status: number;
  /** Parsed JSON, the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

export interface HttpClientOptions {
  keyId: string;
  secretKey: string;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  maxRateLimitWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
  random: () => number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export class AlpacaHttpClient {
  /** Last known rate-limit window per origin (trading and data APIs count separately). */
  private readonly rateLimits = new Map<string, RateLimitState>();

  constructor(private readonly options: HttpClientOptions) {}

  /** A GET (or an idempotent DELETE) with retries. Resolves with any definite response, 4xx included. */
  async read(url: string, method: 'GET' | 'DELETE' = 'GET'): Promise<HttpResponse> {
    return this.withRetries(method, url, undefined, (error) => error.retriable);
  }

  /** A non-idempotent call: retried only when rate limited. */
  async write(method: 'POST' | 'PATCH', url: string, body: unknown): Promise<HttpResponse> {
    return this.withRetries(method, url, body, (error) => error.code === 'RATE_LIMITED');
  }

  private async withRetries(
    method: Method,
    url: string,
    body: unknown,
    shouldRetry: (error: BrokerError) => boolean,
  ): Promise<HttpResponse> {
    const { maxAttempts } = this.options.retry;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(method, url, body);
      const error = outcome.error;
      if (!error) return outcome.response;
      if (attempt >= maxAttempts || !shouldRetry(error)) {
        if (outcome.response) return outcome.response;
        throw error;
      }
      await this.options.sleep(this.retryDelayMs(attempt, outcome.headers));
    }
  }

  private retryDelayMs(attempt: number, headers: Headers | null): number {
    const backoff = calculateBackoffMs(attempt, this.options.retry, this.options.random());
    if (!headers) return backoff;
    return calculateRetryAfterMs(headers, this.options.nowMs(), backoff, this.options.maxRateLimitWaitMs);
  }

  /** One HTTP exchange. A retriable status comes back as `error` with the response alongside. */
  private async attempt(
    method: Method,
    url: string,
    body: unknown,
  ): Promise<{ response: HttpResponse; error: null } | { response: HttpResponse | null; error: BrokerError; headers: Headers | null }> {
    await this.waitForRateLimit(url);
    let res: Response;
    let parsed: unknown;
    try {
      res = await fetch(url, {
        method,
        headers: this.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      parsed = await readBody(res);
    } catch (cause) {
      return { response: null, error: transportError(method, url, cause), headers: null };
    }
    this.recordRateLimit(url, res.headers);
    const response = { status: res.status, body: parsed };
    if (!isRetriableHttpStatus(res.status)) return { response, error: null };
    return { response, error: toBrokerError(response, `${method} ${pathOf(url)}`), headers: res.headers };
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

  private async waitForRateLimit(url: string): Promise<void> {
    const state = this.rateLimits.get(originOf(url)) ?? null;
    const wait = calculateRateLimitWaitMs(state, this.options.nowMs(), this.options.maxRateLimitWaitMs);
    if (wait > 0) await this.options.sleep(wait);
  }

  private recordRateLimit(url: string, headers: Headers): void {
    const state = parseRateLimitHeaders(headers);
    if (state) this.rateLimits.set(originOf(url), state);
  }
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

function originOf(url: string): string {
  return new URL(url).origin;
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function transportError(method: Method, url: string, cause: unknown): BrokerError {
  // Duck-typed: the DOMException of an aborted fetch may come from another realm (e.g. a test VM).
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const what = `${method} ${pathOf(url)}`;
  return new BrokerError(timedOut ? `${what} timed out` : `${what} failed: ${String(cause)}`, {
    code: timedOut ? 'TIMEOUT' : 'NETWORK',
    retriable: true,
    httpStatus: null,
    brokerCode: null,
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
