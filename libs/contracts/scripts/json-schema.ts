/**
 * The JSON Schema (draft 2020-12) of one contract: the whole envelope, written for consumers that do
 * not use zod. It describes the wire ("input") form: a field with a default may be absent, and payload
 * objects accept unknown fields so that additive changes in place break no validator; the envelope
 * itself is closed, as in zod.
 */
import { z } from 'zod';
import type { Contract } from '../src/envelope';
import type { FieldDocs } from './field-docs';

export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIR = 'generated/json-schema';

export function schemaFileName(contract: Pick<Contract, 'type' | 'version'>): string {
  return `${contract.type}.v${contract.version}.schema.json`;
}

export function schemaId(contract: Pick<Contract, 'type' | 'version'>): string {
  return `urn:tlp:contracts:${contract.type}:v${contract.version}`;
}

export function contractJsonSchema(contract: Contract, docs: FieldDocs): JsonSchema {
  const generated = z.toJSONSchema(contract.schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  }) as JsonSchema;
  docs.describe(generated, contract.type, contract.version);
  return orderKeywords({ ...generated, $id: schemaId(contract) });
}

// Keywords first in this order, anything else after them in the order zod wrote it; so a zod upgrade
// that reorders its output does not churn the checked-in files.
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'default',
  'anyOf',
  'oneOf',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'allOf',
  'if',
  'then',
  'else',
  'not',
];
const SUBSCHEMA = new Set(['items', 'if', 'then', 'else', 'not', 'additionalProperties']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);

function rank(keyword: string): number {
  const index = KEYWORD_ORDER.indexOf(keyword);
  return index === -1 ? KEYWORD_ORDER.length : index;
}

/** A copy of `schema` with its keywords, and those of every subschema, in a stable order. */
export function orderKeywords(schema: JsonSchema): JsonSchema {
  const ordered: JsonSchema = {};
  for (const keyword of Object.keys(schema).sort((a, b) => rank(a) - rank(b))) {
    const value = schema[keyword];
    if (keyword === 'properties' && isObject(value)) {
      ordered[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, orderKeywords(child as JsonSchema)]),
      );
    } else if (SUBSCHEMA.has(keyword) && isObject(value)) {
      ordered[keyword] = orderKeywords(value);
    } else if (SUBSCHEMA_LISTS.has(keyword) && Array.isArray(value)) {
      ordered[keyword] = value.map((branch) => orderKeywords(branch as JsonSchema));
    } else {
      ordered[keyword] = value;
    }
  }
  return ordered;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
