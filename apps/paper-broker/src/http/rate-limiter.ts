/**
 * Alpaca's request budget: a fixed one-minute window per API key. Time is passed in. The state of
 * the window goes out on every response as X-RateLimit-Limit/-Remaining/-Reset (unix seconds).
 */
const WINDOW_MS = 60_000;

export interface RateLimitStatus {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetEpochSeconds: number;
}

export class RateLimiter {
  private windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly limit: number) {}

  /** Counts one request against `key` and says whether it is within the budget. */
  take(key: string, nowMs: number): RateLimitStatus {
    const window = this.windowOf(key, nowMs);
    window.used += 1;
    return this.status(window, window.used <= this.limit);
  }

  /** The window's state without counting a request (for requests that are not counted). */
  peek(key: string, nowMs: number): RateLimitStatus {
    return this.status(this.windowOf(key, nowMs), true);
  }

  reset(): void {
    this.windows = new Map();
  }

  private windowOf(key: string, nowMs: number): { start: number; used: number } {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private status(window: { start: number; used: number }, allowed: boolean): RateLimitStatus {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.used),
      resetEpochSeconds: (window.start + WINDOW_MS) / 1000,
    };
  }
}

export function rateLimitHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(status.limit),
    'X-RateLimit-Remaining': String(status.remaining),
    'X-RateLimit-Reset': String(status.resetEpochSeconds),
  };
}
