/**
 * Branded ids of the broker boundary. They are parsed once where a value enters the system (a
 * broker response, a command built by the executor) so that a broker order id can never be passed
 * where a client order id is expected.
 */
import { ClientOrderId as ClientOrderIdSchema } from '@tlp/contracts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** The broker's own id of an order (Alpaca: a UUID). A replace yields a new one. */
export type BrokerOrderId = Brand<string, 'BrokerOrderId'>;
/** Our id of an order as sent to the broker; the idempotency key of a submit. */
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
/** The broker's id of one execution (fill); the idempotency key of a fill. */
export type ExecutionId = Brand<string, 'ExecutionId'>;

const OPAQUE_ID = /^[\x21-\x7e]{1,128}$/;

function parseOpaque(kind: string, value: string): string {
  if (!OPAQUE_ID.test(value)) throw new TypeError(`${kind} must be 1-128 printable characters, got ${JSON.stringify(value)}`);
  return value;
}

export function brokerOrderId(value: string): BrokerOrderId {
  return parseOpaque('BrokerOrderId', value) as BrokerOrderId;
}

/**
 * A client order id as the broker reports it. Lenient (up to 128 printable characters) because
 * orders placed outside the platform may carry any id the broker accepted.
 */
export function clientOrderId(value: string): ClientOrderId {
  return parseOpaque('ClientOrderId', value) as ClientOrderId;
}

/** A client order id we are about to send: the platform's stricter rule (1-48 of `[A-Za-z0-9_.:-]`). */
export function newClientOrderId(value: string): ClientOrderId {
  const parsed = ClientOrderIdSchema.safeParse(value);
  if (!parsed.success) throw new TypeError(`ClientOrderId ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as ClientOrderId;
}

export function executionId(value: string): ExecutionId {
  return parseOpaque('ExecutionId', value) as ExecutionId;
}
