import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** The messaging library's `provisionTopics`, passed in so this library does not depend on it. */
export type TopicProvisioner = (kafka: Kafka, options: { prefix: string }) => Promise<unknown>;

/** Creates a private copy of every declared topic under a fresh prefix, so a test sees only its own records. */
export async function isolatedTopics(kafka: Kafka, provision: TopicProvisioner): Promise<string> {
  const prefix = `it-${randomBytes(4).toString('hex')}.`;
  await provision(kafka, { prefix });
  return prefix;
}
