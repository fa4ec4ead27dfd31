/**
 * The HTTP front of the paper broker. Order of checks, as at Alpaca: rate-limit headers on every
 * response; /v2 and /v1beta1 need both APCA-API-* headers (401 before anything else), then count
 * against the per-key budget (429), then may be intercepted by fault injection (answered instead,
 * or routed with order faults and a delayed or withheld answer), then are routed.
 * /_admin needs no key and is not counted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestFaultsOf, type FaultInjector } from '../faults/fault-injector';
import type { OrderFaults } from '../faults/fault-plan';
import { errorResponse, type ApiRequest, type ApiResponse, type Route } from './api';
import { rateLimitHeaders, type RateLimiter, type RateLimitStatus } from './rate-limiter';

export interface HttpAppOptions {
  keyId: string;
  secretKey: string;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  apiRoutes: Route[];
  adminRoutes: Route[];
  nowMs: () => number;
  onError: (error: unknown) => void;
}

const MAX_BODY_BYTES = 64 * 1024;
const API_PREFIX = /^\/(v2|v1beta1)\//;

type BodyResult = { ok: true; body: Record<string, unknown> | null } | { ok: false; response: ApiResponse };

async function readBody(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return { ok: false, response: errorResponse({ code: 'MALFORMED_REQUEST', message: 'request body too large' }) };
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.length === 0) return { ok: true, body: null };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { ok: true, body: parsed as Record<string, unknown> };
  } catch {
    // fall through to the 400 below
  }
  return { ok: false, response: errorResponse({ code: 'MALFORMED_REQUEST', message: 'request body format is invalid' }) };
}

function route(routes: Route[], method: string, path: string): { route: Route; params: string[] } | 'NO_PATH' | 'NO_METHOD' {
  let pathMatched = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (candidate.method === method) return { route: candidate, params: match.slice(1) };
  }
  return pathMatched ? 'NO_METHOD' : 'NO_PATH';
}

export class HttpApp {
  private requests = 0;

  constructor(private readonly options: HttpAppOptions) {}

  get requestCount(): number {
    return this.requests;
  }

  resetCounters(): void {
    this.requests = 0;
    this.options.rateLimiter.reset();
  }

  /** The `http.createServer` listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((error: unknown) => {
      this.options.onError(error);
      if (!res.headersSent) send(res, { status: 500, body: { code: 50010000, message: 'internal server error' } }, {});
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests += 1;
    const url = new URL(req.url ?? '/', 'http://paper-broker.local');
    const method = req.method ?? 'GET';
    const keyId = header(req, 'apca-api-key-id');
    const isApi = API_PREFIX.test(url.pathname);
    const authorized = keyId === this.options.keyId && header(req, 'apca-api-secret-key') === this.options.secretKey;
    const limiter = this.options.rateLimiter;
    const now = this.options.nowMs();
    const limit: RateLimitStatus = isApi && authorized ? limiter.take(keyId, now) : limiter.peek(keyId || '-', now);
    const headers = rateLimitHeaders(limit);
    if (isApi && !authorized) return send(res, errorResponse({ code: 'UNAUTHORIZED', message: 'request is not authorized' }), headers);
    if (!limit.allowed) return send(res, errorResponse({ code: 'RATE_LIMITED', message: 'rate limit exceeded' }), headers);
    const body = method === 'POST' || method === 'PATCH' ? await readBody(req) : ({ ok: true, body: null } as const);
    const faults = isApi ? requestFaultsOf(this.options.faults, { method, path: url.pathname, query: url.searchParams, body: body.ok ? body.body : null }) : null;
    if (faults?.refusal) {
      const { delayMs, status, body: refusal, headers: extra } = faults.refusal;
      if (delayMs) await sleep(delayMs);
      return send(res, { status, body: refusal }, { ...headers, ...extra });
    }
    const response = this.dispatch(method, url, body, faults?.order ?? null, isApi ? this.options.apiRoutes : this.options.adminRoutes);
    if (faults?.hang) return hang(res, faults.hang, () => send(res, response, headers));
    if (faults?.responseDelayMs) await sleep(faults.responseDelayMs);
    send(res, response, headers);
  }

  private dispatch(method: string, url: URL, body: BodyResult, faults: OrderFaults | null, routes: Route[]): ApiResponse {
    const found = route(routes, method, url.pathname);
    if (found === 'NO_PATH') return errorResponse({ code: 'ROUTE_NOT_FOUND', message: 'endpoint not found' });
    if (found === 'NO_METHOD') return errorResponse({ code: 'METHOD_NOT_ALLOWED', message: 'method not allowed' });
    if (!body.ok) return body.response;
    const request: ApiRequest = { method, path: url.pathname, query: url.searchParams, params: found.params, body: body.body, faults };
    return found.route.handler(request);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The request was processed; its answer is withheld for `ms`, then the socket is cut (the client
 * sees a timeout or a reset) or the answer goes out late. The timer never keeps the process alive.
 */
function hang(res: ServerResponse, fault: { ms: number; then: 'close' | 'respond' }, respond: () => void): void {
  const timer = setTimeout(() => {
    if (res.destroyed || res.socket?.destroyed) return;
    if (fault.then === 'respond') respond();
    else res.socket?.destroy();
  }, fault.ms);
  timer.unref();
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

function send(res: ServerResponse, response: ApiResponse, headers: Record<string, string>): void {
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  res.writeHead(response.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(response.body));
}
