import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseEvent } from './parse';
import { ALL_TOPICS } from './topics';

const LIB_ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(LIB_ROOT, 'fixtures');
const SCHEMAS = path.join(LIB_ROOT, 'generated/json-schema');

type Json = Record<string, unknown>;

const cases = ALL_TOPICS.flatMap((topic) =>
  topic.contracts.map((contract) => ({ topic: topic.name, type: contract.type, version: contract.version })),
);
const fixtureFile = (c: { type: string; version: number }): string => `${c.type}.v${c.version}.json`;
const readFixture = (c: { type: string; version: number }): Json =>
  JSON.parse(readFileSync(path.join(FIXTURES, fixtureFile(c)), 'utf8')) as Json;

// The published schemas, read as a consumer outside the codebase reads them; artefacts.spec.ts
// proves they are what the generator makes of the zod contracts today.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>(
  cases.map((c) => {
    const schema = JSON.parse(
      readFileSync(path.join(SCHEMAS, `${c.type}.v${c.version}.schema.json`), 'utf8'),
    ) as Json;
    return [`${c.type}@${c.version}`, ajv.compile(schema)];
  }),
);
function ajvErrors(event: Json): string[] {
  const validate = validators.get(`${String(event['type'])}@${String(event['version'])}`);
  if (!validate) throw new Error(`no schema for ${String(event['type'])}`);
  return validate(event) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath}: ${e.message ?? ''}`);
}

describe('golden fixtures', () => {
  it('exist for exactly the contracts of ALL_TOPICS', () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(cases.map(fixtureFile).sort());
  });

  it.each(cases)('$type v$version parses with parseEvent on $topic', ({ topic, type, version }) => {
    const result = parseEvent(topic, JSON.stringify(readFixture({ type, version })));
    if (!result.ok) throw new Error(result.reason);
    expect(result.contract).toMatchObject({ type, version });
  });

  it.each(cases)('$type v$version validates against its published JSON Schema', ({ type, version }) => {
    expect(ajvErrors(readFixture({ type, version }))).toEqual([]);
  });

  it('include an OCC option leg of a multi-leg order', () => {
    const optionLegs = cases
      .filter((c) => c.type.startsWith('order.'))
      .map(
        (c) =>
          readFixture(c)['payload'] as {
            instrument: { assetClass: string; symbol: string };
            legNumber: number | null;
          },
      )
      .filter((p) => p.instrument.assetClass === 'OPTION' && p.legNumber !== null);
    expect(optionLegs.length).toBeGreaterThan(0);
    for (const leg of optionLegs) expect(leg.instrument.symbol).toMatch(/^[A-Z.]{1,6}\d{6}[CP]\d{8}$/);
  });
});

describe('a malformed message is refused by zod and by the JSON Schema, naming the field', () => {
  const filled = (): Json => readFixture({ type: 'order.filled', version: 1 });
  const payloadOf = (event: Json): Json => event['payload'] as Json;
  const mutations: { name: string; field: string; pointer: string; mutate: (e: Json) => void }[] = [
    {
      name: 'a decimal sent as a JSON number',
      field: 'payload.lastPrice',
      pointer: '/payload/lastPrice',
      mutate: (e) => (payloadOf(e)['lastPrice'] = 187.5),
    },
    {
      name: 'a negative quantity',
      field: 'payload.lastQuantity',
      pointer: '/payload/lastQuantity',
      mutate: (e) => (payloadOf(e)['lastQuantity'] = '-4'),
    },
    {
      name: 'a timestamp with an offset instead of Z',
      field: 'payload.filledAt',
      pointer: '/payload/filledAt',
      mutate: (e) => (payloadOf(e)['filledAt'] = '2026-11-24T15:30:07.412+01:00'),
    },
    {
      name: 'an upper-case UUID',
      field: 'eventId',
      pointer: '/eventId',
      mutate: (e) => (e['eventId'] = '6AD7A774-5B15-453B-B798-8166663C0F9B'),
    },
    {
      name: 'a malformed UUID',
      field: 'correlationId',
      pointer: '/correlationId',
      mutate: (e) => (e['correlationId'] = 'not-a-uuid'),
    },
    {
      name: 'an option without an OCC symbol',
      field: 'payload.instrument.symbol',
      pointer: '/payload/instrument/symbol',
      mutate: (e) =>
        (payloadOf(e)['instrument'] = { symbol: 'AAPL', assetClass: 'OPTION', multiplier: '100' }),
    },
  ];

  it.each(mutations)('$name', ({ field, pointer, mutate }) => {
    const event = filled();
    mutate(event);
    expect(parseEvent('order.filled', JSON.stringify(event))).toEqual({
      ok: false,
      reason: expect.stringContaining(`${field}:`),
    });
    expect(ajvErrors(event)).toContainEqual(expect.stringMatching(new RegExp(`^${pointer}: `)));
  });

  it('an extra field in the envelope', () => {
    const event = { ...filled(), traceId: 'abc' };
    expect(parseEvent('order.filled', JSON.stringify(event))).toEqual({
      ok: false,
      reason: expect.stringMatching(/CONTRACT_VIOLATION: .*traceId/),
    });
    const validate = validators.get('order.filled@1');
    expect(validate?.(event)).toBe(false);
    expect(validate?.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'traceId' } }),
    );
  });

  it('a LIMIT decision without a limit price', () => {
    const decision = readFixture({ type: 'decision.approved', version: 1 });
    delete payloadOf(decision)['limitPrice'];
    expect(parseEvent('decision.approved', JSON.stringify(decision))).toEqual({
      ok: false,
      reason: expect.stringContaining('payload.limitPrice'),
    });
    expect(ajvErrors(decision)).toContain("/payload: must have required property 'limitPrice'");
  });
});
