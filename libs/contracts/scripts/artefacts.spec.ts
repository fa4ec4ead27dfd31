import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { ALL_TOPICS } from '../src/topics';
import { ASYNCAPI_FILE, buildArtefacts, README_FILE, type Artefact } from './artefacts';
import { findDrift } from './generate';
import { JSON_SCHEMA_DIR, type JsonSchema } from './json-schema';

// Type-checking the library to read its TSDoc takes a few seconds.
jest.setTimeout(60_000);

let artefacts: Artefact[];
beforeAll(() => {
  artefacts = buildArtefacts();
});

const contracts = ALL_TOPICS.flatMap((t) => t.contracts);
function schemas(): [string, JsonSchema][] {
  return artefacts
    .filter((a) => a.path.startsWith(`${JSON_SCHEMA_DIR}/`))
    .map((a) => [a.path, JSON.parse(a.content) as JsonSchema]);
}

/** Every property of `schema` with its dotted path, through nullable, union and array schemas; not into if/then. */
function* propertiesOf(schema: JsonSchema, at = ''): Generator<[string, JsonSchema]> {
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    for (const branch of (schema[keyword] as JsonSchema[] | undefined) ?? []) yield* propertiesOf(branch, at);
  }
  if (schema['items']) yield* propertiesOf(schema['items'] as JsonSchema, `${at}[]`);
  for (const [name, child] of Object.entries(
    (schema['properties'] as Record<string, JsonSchema> | undefined) ?? {},
  )) {
    const path = at ? `${at}.${name}` : name;
    yield [path, child];
    yield* propertiesOf(child, path);
  }
}

/** The non-null alternatives of a property's schema. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const branches = (schema['anyOf'] as JsonSchema[] | undefined) ?? [schema];
  return branches.filter((b) => b['type'] !== 'null');
}

describe('generated artefacts', () => {
  it('are checked in as generated (run `pnpm contracts:generate`)', () => {
    expect(findDrift(artefacts)).toEqual({ missing: [], stale: [], orphaned: [] });
  });

  it('include one JSON Schema per contract, the AsyncAPI document and the README tables', () => {
    expect(artefacts.map((a) => a.path).sort()).toEqual(
      [
        ...contracts.map((c) => `${JSON_SCHEMA_DIR}/${c.type}.v${c.version}.schema.json`),
        ASYNCAPI_FILE,
        README_FILE,
      ].sort(),
    );
  });
});

describe('JSON Schemas', () => {
  it('are draft 2020-12 with an $id, a title and a description', () => {
    for (const [, schema] of schemas()) {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: expect.stringMatching(/^urn:tlp:contracts:[a-z.-]+:v\d+$/),
        title: expect.any(String),
        description: expect.any(String),
      });
    }
  });

  it('describe every property (from the TSDoc of its field)', () => {
    const undocumented = schemas().flatMap(([file, schema]) =>
      [...propertiesOf(schema)].filter(([, p]) => !p['description']).map(([path]) => `${file}: ${path}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('carry money, prices and quantities as decimal strings, never JSON numbers', () => {
    const decimalName = /(price|quantity|pnl|pnlgross|pnlnet|^fee|feespaid|multiplier)$/i;
    const integers = new Set(['version', 'legNumber', 'revision']);
    let decimals = 0;
    for (const [file, schema] of schemas()) {
      for (const [path, property] of propertiesOf(schema)) {
        const name = path.split('.').pop() ?? '';
        for (const alternative of alternatives(property)) {
          if (decimalName.test(name)) {
            decimals++;
            expect({ file, path, type: alternative['type'] }).toEqual({ file, path, type: 'string' });
            expect(new RegExp(alternative['pattern'] as string).test('187.51')).toBe(true);
            expect(new RegExp(alternative['pattern'] as string).test('1.8751e2')).toBe(false);
          }
          if (alternative['type'] === 'number' || alternative['type'] === 'integer') {
            expect({ file, path, integer: integers.has(name) }).toEqual({ file, path, integer: true });
          }
        }
      }
    }
    expect(decimals).toBeGreaterThan(50);
  });

  it('carry timestamps as date-time strings in UTC', () => {
    for (const [file, schema] of schemas()) {
      for (const [path, property] of propertiesOf(schema)) {
        if (!/At$/.test(path)) continue;
        for (const alternative of alternatives(property)) {
          expect({ file, path, format: alternative['format'] }).toEqual({ file, path, format: 'date-time' });
          const pattern = new RegExp(alternative['pattern'] as string);
          expect(pattern.test('2026-11-24T14:30:07.412Z')).toBe(true);
          expect(pattern.test('2026-11-24T15:30:07.412+01:00')).toBe(false);
        }
      }
    }
  });
});

interface Ref {
  $ref: string;
}
interface AsyncApiShape {
  channels: Record<string, { address: string; messages: Record<string, Ref>; bindings: { kafka: object } }>;
  operations: Record<string, { action: string; channel: Ref }>;
  components: {
    schemas: Record<string, { required?: string[] }>;
    messages: Record<
      string,
      { bindings: { kafka: { key: { description: string } } }; correlationId: Ref; headers: Ref }
    >;
    correlationIds: Record<string, { location: string }>;
  };
}

describe('AsyncAPI document', () => {
  const document = (): AsyncApiShape =>
    parse(artefacts.find((a) => a.path === ASYNCAPI_FILE)?.content ?? '') as AsyncApiShape;

  it('parses with @asyncapi/parser without errors', async () => {
    const content = artefacts.find((a) => a.path === ASYNCAPI_FILE)?.content ?? '';
    const { document: parsed, diagnostics } = await new Parser().parse(content);
    // Errors only: the parser also informs that AsyncAPI 3.1.0 exists, and 3.0.0 is what was asked for.
    expect(
      diagnostics
        .filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error))
        .map((d) => `${d.path.join('/')}: ${d.message}`),
    ).toEqual([]);
    expect(
      parsed
        ?.channels()
        .all()
        .map((c) => c.address())
        .sort(),
    ).toEqual(ALL_TOPICS.flatMap((t) => [t.name, `${t.name}.dlq`]).sort());
  });

  it('declares each topic with its partitions, retention and key', () => {
    const { channels, components } = document();
    for (const topic of ALL_TOPICS) {
      const channel = Object.values(channels).find((c) => c.address === topic.name);
      if (!channel) throw new Error(`no channel for ${topic.name}`);
      expect(channel.bindings.kafka).toMatchObject({
        partitions: topic.partitions,
        topicConfiguration: { 'retention.ms': topic.retentionMs },
      });
      for (const reference of Object.values(channel.messages)) {
        const message = components.messages[reference.$ref.split('/').pop() ?? ''];
        if (!message) throw new Error(`dangling ${reference.$ref}`);
        expect(message.bindings.kafka.key.description).toContain(topic.key.description);
        expect(message.correlationId).toEqual({ $ref: '#/components/correlationIds/correlationId' });
        expect(message.headers).toEqual({ $ref: '#/components/schemas/eventHeaders' });
      }
    }
    expect(components.correlationIds['correlationId']?.location).toBe('$message.payload#/correlationId');
    expect(components.schemas['eventHeaders']?.required).toEqual([
      'x-event-id',
      'x-event-type',
      'x-event-version',
      'x-correlation-id',
    ]);
    expect(components.schemas['deadLetterHeaders']?.required).toEqual([
      'x-dlq-reason',
      'x-dlq-source-topic',
      'x-dlq-source-partition',
      'x-dlq-source-offset',
      'x-dlq-consumer',
    ]);
  });

  it('says which service sends and receives what', () => {
    const flows = Object.values(document().operations)
      .map((o) => `${o.action} ${o.channel.$ref.replace('#/channels/', '')}`)
      .sort();
    const ids = Object.keys(document().operations);
    expect(ids).toEqual(
      expect.arrayContaining([
        'executorReceiveDecisionApproved',
        'executorSendOrderSubmitted',
        'executorSendOrderRejected',
        'orderMonitorReceiveOrderSubmitted',
        'orderMonitorSendOrderFilled',
        'orderMonitorSendOrderCanceled',
        'orderMonitorSendOrderExpired',
        'orderMonitorSendOrderReplaced',
        'positionMonitorReceiveOrderFilled',
        'positionMonitorSendPositionUpdated',
        'dataQualityReceiveOrderFilled',
        'dataQualityReceivePositionUpdated',
        'dataQualityDeadLetterPositionUpdated',
      ]),
    );
    expect(flows.filter((f) => f.startsWith('receive'))).toHaveLength(
      ALL_TOPICS.reduce((n, t) => n + t.consumers.length, 0),
    );
  });
});
