/** Normalised failure codes of a broker call, whatever the broker. */
export type BrokerErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNPROCESSABLE'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'CIRCUIT_OPEN'
  | 'MALFORMED_RESPONSE'
  | 'INVALID_REQUEST'
  | 'STREAM_UNAUTHORIZED'
  | 'STREAM_PROTOCOL';

export interface BrokerErrorDetails {
  code: BrokerErrorCode;
  /** True when the same call may succeed if repeated later (rate limit, 5xx, timeout, network). */
  retriable: boolean;
  /** HTTP status of the failed response, or null when no response arrived. */
  httpStatus: number | null;
  /** The broker's own error code (Alpaca: 8 digits, e.g. "42210000"), or null. */
  brokerCode: string | null;
  /**
   * True when the request provably never reached the broker (circuit open, connection refused),
   * so repeating it cannot duplicate anything. Default false: the broker may have acted on it.
   */
  unsent?: boolean;
  cause?: unknown;
}

/** Every failure the broker adapters throw. Callers branch on `code` and `retriable`, never on `message`. */
export class BrokerError extends Error {
  readonly code: BrokerErrorCode;
  readonly retriable: boolean;
  readonly httpStatus: number | null;
  readonly brokerCode: string | null;
  readonly unsent: boolean;

  constructor(message: string, details: BrokerErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BrokerError';
    this.code = details.code;
    this.retriable = details.retriable;
    this.httpStatus = details.httpStatus;
    this.brokerCode = details.brokerCode;
    this.unsent = details.unsent ?? false;
  }
}

export function isBrokerError(error: unknown): error is BrokerError {
  return error instanceof BrokerError;
}

/** Alpaca reports a reused client order id with this code (HTTP 422). */
export const ALPACA_DUPLICATE_CLIENT_ORDER_ID_CODE = '40010001';

/** Maps an HTTP status (and the broker's code, when it tells more) to a normalised error code. */
export function classifyHttpStatus(status: number, brokerCode: string | null, message: string): BrokerErrorCode {
  if (status === 422 && brokerCode === ALPACA_DUPLICATE_CLIENT_ORDER_ID_CODE && /client_order_id/i.test(message)) {
    return 'DUPLICATE_CLIENT_ORDER_ID';
  }
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 422) return 'UNPROCESSABLE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'BAD_REQUEST';
}

/** Only rate limiting and server-side failures are worth repeating. */
export function isRetriableHttpStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
