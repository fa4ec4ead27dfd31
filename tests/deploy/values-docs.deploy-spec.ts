/**
 * Every value is documented: each leaf of values.yaml (or a map/list value as a whole) has a
 * `## @param <path>` line, every `@param` names a value that exists, and the schema knows every key.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART } from './chart-render';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
}

const text = readFileSync(join(CHART, 'values.yaml'), 'utf8');
const values = parse(text) as Record<string, Json>;
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode;
const documented = new Set([...text.matchAll(/^## @param (\S+) \S/gm)].map((m) => m[1]!));

/** Paths of the values a user sets: leaves, and maps or lists documented as a whole. */
function settable(node: Json, path: string, out: string[]): string[] {
  const isMap = node !== null && typeof node === 'object' && !Array.isArray(node);
  if (isMap && !documented.has(path) && Object.keys(node).length > 0) {
    for (const [key, child] of Object.entries(node)) settable(child, path ? `${path}.${key}` : key, out);
  } else {
    out.push(path);
  }
  return out;
}

/** True when the schema has an explicit property for every segment of the path. */
function inSchema(path: string): boolean {
  let node: SchemaNode | undefined = schema;
  for (const segment of path.split('.')) {
    node = node?.properties?.[segment];
    if (!node) return false;
  }
  return true;
}

describe('values.yaml documentation and schema', () => {
  const paths = settable(values, '', []);

  it('has a value for every value-set path in the chart', () => {
    expect(paths.length).toBeGreaterThan(100);
  });

  it('documents every value with ## @param', () => {
    expect(paths.filter((p) => !documented.has(p))).toEqual([]);
  });

  it('documents no value that does not exist', () => {
    const existing = new Set<string>();
    const walk = (node: Json, path: string) => {
      if (path) existing.add(path);
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
        for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
      }
    };
    walk(values, '');
    expect([...documented].filter((p) => !existing.has(p))).toEqual([]);
  });

  it('declares every value in values.schema.json', () => {
    expect(paths.filter((p) => !inSchema(p))).toEqual([]);
  });
});
