/**
 * The AsyncAPI 3.0.0 document of every topic in ALL_TOPICS and its dead-letter topic, built from the
 * topic declarations, the contracts' JSON Schemas, the header declarations and the golden fixtures.
 * Objects are built in a fixed order, so the same inputs always give the same YAML.
 */
import type { Contract } from '../src/envelope';
import { DEAD_LETTER_HEADERS, EVENT_HEADERS, type HeaderDeclaration } from '../src/headers';
import { deadLetterTopicOf, type TopicDeclaration } from '../src/topics';
import type { JsonSchema } from './json-schema';

/** Bumped by hand: minor for an additive change, major when a topic or a message version goes away. */
const DOCUMENT_VERSION = '1.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';
const LOCAL_BROKERS = '127.0.0.1:19092';

export interface AsyncApiInputs {
  readonly topics: readonly TopicDeclaration[];
  /** The JSON Schema of a contract, as published under generated/json-schema. */
  readonly schemaOf: (contract: Contract) => JsonSchema;
  /** The golden fixture of a contract. */
  readonly fixtureOf: (contract: Contract) => Record<string, unknown>;
}

type Doc = Record<string, unknown>;

export function asyncApiDocument(inputs: AsyncApiInputs): Doc {
  const { topics } = inputs;
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Trade lifecycle platform events',
      version: DOCUMENT_VERSION,
      description:
        'Every Kafka topic of the platform: decisions in, orders and fills through, positions out. Generated from ' +
        '`libs/contracts` by `pnpm contracts:generate`; do not edit by hand. Record values are JSON envelopes; ' +
        'decimals are strings, timestamps ISO-8601 UTC. A record a consumer cannot process goes, unchanged, to ' +
        '`<topic>.dlq` with `x-dlq-*` headers saying why.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: LOCAL_BROKERS,
        protocol: 'kafka',
        description: 'The local stack started by `pnpm stack`.',
      },
    },
    channels: Object.fromEntries(
      topics.flatMap((t) => [[channelId(t.name), channel(t)], deadLetterChannel(t)]),
    ),
    operations: Object.fromEntries(topics.flatMap(operations)),
    components: {
      schemas: {
        ...Object.fromEntries(contractsOf(topics).map((c) => [messageId(c), embedded(inputs.schemaOf(c))])),
        eventHeaders: headersSchema('Headers of every published event.', Object.values(EVENT_HEADERS)),
        deadLetterHeaders: headersSchema(
          "Headers of a dead-lettered record: the original record's headers, kept as they were, plus the `x-dlq-*` headers.",
          [
            ...Object.values(DEAD_LETTER_HEADERS),
            ...Object.values(EVENT_HEADERS).map((h) => ({ ...h, required: false })),
          ],
        ),
      },
      messages: {
        ...Object.fromEntries(
          topics.flatMap((t) => t.contracts.map((c) => [messageId(c), message(t, c, inputs.fixtureOf(c))])),
        ),
        deadLetter: deadLetterMessage(),
      },
      correlationIds: {
        correlationId: {
          description: 'Shared by every event caused, directly or not, by one decision.',
          location: '$message.payload#/correlationId',
        },
      },
    },
  };
}

function channel(topic: TopicDeclaration): Doc {
  const producer = topic.producer ? `Produced by ${topic.producer}` : 'Produced outside the platform';
  const consumers = topic.consumers.length > 0 ? topic.consumers.join(', ') : 'none inside the platform';
  return {
    address: topic.name,
    title: topic.name,
    description: `${topic.description} ${producer}; consumed by ${consumers}. Key: ${topic.key.description}`,
    messages: Object.fromEntries(
      topic.contracts.map((c) => [messageId(c), ref(`#/components/messages/${messageId(c)}`)]),
    ),
    bindings: {
      kafka: {
        partitions: topic.partitions,
        topicConfiguration: { 'retention.ms': topic.retentionMs },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function deadLetterChannel(topic: TopicDeclaration): [string, Doc] {
  const name = deadLetterTopicOf(topic.name);
  return [
    channelId(name),
    {
      address: name,
      title: name,
      description:
        `Records of \`${topic.name}\` that a consumer could not process (malformed, unknown type, or a handler that ` +
        'kept failing), copied byte for byte with their key and headers. Same retention; one partition per source partition.',
      messages: { deadLetter: ref('#/components/messages/deadLetter') },
      bindings: {
        kafka: {
          partitions: topic.partitions,
          topicConfiguration: { 'retention.ms': topic.retentionMs },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    },
  ];
}

function operations(topic: TopicDeclaration): [string, Doc][] {
  const id = channelId(topic.name);
  const dlqId = channelId(deadLetterTopicOf(topic.name));
  const messages = topic.contracts.map((c) => ref(`#/channels/${id}/messages/${messageId(c)}`));
  const result: [string, Doc][] = [];
  if (topic.producer) {
    result.push([
      `${camel(topic.producer)}Send${pascal(id)}`,
      {
        action: 'send',
        channel: ref(`#/channels/${id}`),
        summary: `${topic.producer} publishes ${topic.name}.`,
        messages,
      },
    ]);
  }
  for (const consumer of topic.consumers) {
    result.push([
      `${camel(consumer)}Receive${pascal(id)}`,
      {
        action: 'receive',
        channel: ref(`#/channels/${id}`),
        summary: `${consumer} consumes ${topic.name}.`,
        messages,
      },
    ]);
    result.push([
      `${camel(consumer)}DeadLetter${pascal(id)}`,
      {
        action: 'send',
        channel: ref(`#/channels/${dlqId}`),
        summary: `${consumer} moves records of ${topic.name} it cannot process to ${deadLetterTopicOf(topic.name)}.`,
        messages: [ref(`#/channels/${dlqId}/messages/deadLetter`)],
      },
    ]);
  }
  return result;
}

function message(topic: TopicDeclaration, contract: Contract, fixture: Record<string, unknown>): Doc {
  return {
    name: contract.type,
    title: `${contract.type} v${contract.version}`,
    summary: `${contract.type} v${contract.version} on ${topic.name}.`,
    contentType: 'application/json',
    correlationId: ref('#/components/correlationIds/correlationId'),
    headers: ref('#/components/schemas/eventHeaders'),
    payload: ref(`#/components/schemas/${messageId(contract)}`),
    bindings: {
      kafka: {
        key: { type: 'string', description: `Record key: ${topic.key.description}` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: 'golden',
        summary: `libs/contracts/fixtures/${contract.type}.v${contract.version}.json`,
        headers: exampleHeaders(fixture),
        payload: fixture,
      },
    ],
  };
}

function deadLetterMessage(): Doc {
  return {
    name: 'dead-letter',
    title: 'Dead-lettered record',
    summary: 'A record a consumer could not process, with the reason in `x-dlq-reason`.',
    contentType: 'application/octet-stream',
    headers: ref('#/components/schemas/deadLetterHeaders'),
    payload: {
      type: 'string',
      format: 'binary',
      description:
        "The source record's value, byte for byte. Usually the JSON envelope of a message of the source topic, " +
        'but possibly not JSON at all: it is whatever could not be processed.',
    },
    bindings: {
      kafka: {
        key: { type: 'string', description: "The source record's key, unchanged." },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function headersSchema(description: string, headers: readonly HeaderDeclaration[]): Doc {
  return {
    type: 'object',
    description,
    properties: Object.fromEntries(
      headers.map((h) => [h.name, { type: 'string', description: h.description }]),
    ),
    required: headers.filter((h) => h.required).map((h) => h.name),
  };
}

function exampleHeaders(fixture: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [field, header] of Object.entries(EVENT_HEADERS)) {
    const value = fixture[field];
    if (typeof value === 'string' || typeof value === 'number') headers[header.name] = String(value);
  }
  return headers;
}

/** The JSON Schema as an AsyncAPI (draft-07 compatible) schema: `$schema` and `$id` belong to the standalone file. */
function embedded(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function contractsOf(topics: readonly TopicDeclaration[]): Contract[] {
  return topics.flatMap((t) => t.contracts);
}

function messageId(contract: Contract): string {
  return `${camel(contract.type)}V${contract.version}`;
}

function channelId(topicName: string): string {
  return camel(topicName);
}

function ref($ref: string): Doc {
  return { $ref };
}

function camel(name: string): string {
  return name.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
