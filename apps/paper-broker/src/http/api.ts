/** The request and response shapes shared by the route files, and their small parsing helpers. */
import { ALPACA_ERROR, fail, ok, type PaperError, type Result } from '../errors';
import { parseTimestampNs } from '../clock/timestamps';
import type { OrderFaults } from '../faults/fault-plan';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Captured path segments, in pattern order. */
  params: string[];
  /** The JSON object body of a POST or PATCH, else null. */
  body: Record<string, unknown> | null;
  /** Injected faults for the order this request creates, if any. */
  faults?: OrderFaults | null;
}

export interface ApiResponse {
  status: number;
  /** Serialised as JSON; undefined means no body. */
  body?: unknown;
}

export type Handler = (request: ApiRequest) => ApiResponse;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

export function json(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

export function errorResponse(error: PaperError): ApiResponse {
  const { status, code } = ALPACA_ERROR[error.code];
  return { status, body: { code, message: error.message } };
}

export function fromResult<T>(result: Result<T>, render: (value: T) => ApiResponse): ApiResponse {
  return result.ok ? render(result.value) : errorResponse(result.error);
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): Result<T> {
  const value = query.get(name);
  if (value === null || value === '') return ok(fallback);
  return (allowed as readonly string[]).includes(value) ? ok(value as T) : fail('INVALID_REQUEST', `invalid ${name} "${value}"`);
}

/** A whole-number parameter; values above `max` are capped, as Alpaca does. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max: number): Result<number> {
  const value = query.get(name);
  if (value === null || value === '') return ok(fallback);
  if (!/^\d+$/.test(value) || Number(value) < 1) return fail('INVALID_REQUEST', `${name} must be a positive integer`);
  return ok(Math.min(Number(value), max));
}

export function timestampParam(query: URLSearchParams, name: string): Result<bigint | null> {
  const value = query.get(name);
  if (value === null || value === '') return ok(null);
  const ns = parseTimestampNs(value);
  return ns === null ? fail('INVALID_REQUEST', `invalid ${name} "${value}": expected RFC 3339`) : ok(ns);
}
