/** Why the paper broker refuses a request, and how Alpaca would say it (HTTP status and 8-digit code). */
export type PaperErrorCode =
  | 'MALFORMED_REQUEST'
  | 'INVALID_REQUEST'
  | 'SUB_PENNY_PRICE'
  | 'UNSUPPORTED'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'ORDER_NOT_FOUND'
  | 'NOT_CANCELABLE'
  | 'NOT_REPLACEABLE'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED';

export interface PaperError {
  code: PaperErrorCode;
  message: string;
}

export const ALPACA_ERROR: Readonly<Record<PaperErrorCode, { status: number; code: number }>> = {
  MALFORMED_REQUEST: { status: 400, code: 40010000 },
  INVALID_REQUEST: { status: 422, code: 40010001 },
  SUB_PENNY_PRICE: { status: 422, code: 42210000 },
  UNSUPPORTED: { status: 422, code: 42210000 },
  DUPLICATE_CLIENT_ORDER_ID: { status: 422, code: 40010001 },
  ORDER_NOT_FOUND: { status: 404, code: 40410000 },
  NOT_CANCELABLE: { status: 422, code: 42210000 },
  NOT_REPLACEABLE: { status: 422, code: 42210000 },
  UNAUTHORIZED: { status: 401, code: 40110000 },
  RATE_LIMITED: { status: 429, code: 42910000 },
  ROUTE_NOT_FOUND: { status: 404, code: 40410000 },
  METHOD_NOT_ALLOWED: { status: 405, code: 40510000 },
};

export function paperError(code: PaperErrorCode, message: string): PaperError {
  return { code, message };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PaperError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(code: PaperErrorCode, message: string): Result<T> {
  return { ok: false, error: paperError(code, message) };
}
