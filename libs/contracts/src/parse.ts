import { type z } from 'zod';
import type { Contract, Envelope } from './envelope';
import { EnvelopeHeader } from './envelope';
import { topicByName } from './topics';

export type ParseResult =
  | { readonly ok: true; readonly event: Envelope; readonly contract: Contract }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a record value read from `topic` against the contract its envelope names. Never throws:
 * a failure carries a reason that names every offending field, for the dead-letter header.
 */
export function parseEvent(topic: string, value: Buffer | string | null): ParseResult {
  const declaration = topicByName(topic);
  if (!declaration) return { ok: false, reason: `UNKNOWN_TOPIC: ${topic}` };
  if (value === null) return { ok: false, reason: 'EMPTY_VALUE: the record has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (err) {
    return { ok: false, reason: `INVALID_JSON: ${(err as Error).message}` };
  }
  const header = EnvelopeHeader.pick({ type: true, version: true }).safeParse(json);
  if (!header.success) return { ok: false, reason: `INVALID_ENVELOPE: ${describeIssues(header.error)}` };
  const contract = declaration.contracts.find(
    (c) => c.type === header.data.type && c.version === header.data.version,
  );
  if (!contract) {
    return { ok: false, reason: `UNKNOWN_TYPE: ${header.data.type} v${header.data.version} is not carried by ${topic}` };
  }
  const parsed = contract.schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `CONTRACT_VIOLATION: ${describeIssues(parsed.error)}` };
  return { ok: true, event: parsed.data, contract };
}

/** `path: message; path: message` for every issue, e.g. `payload.quantity: must be greater than zero`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
