import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { provisionTopics } from '@tlp/messaging';

/** Creates a private copy of every declared topic under a fresh prefix, so a test sees only its own records. */
export async function isolatedTopics(kafka: Kafka): Promise<string> {
  const prefix = `it-${randomBytes(4).toString('hex')}.`;
  await provisionTopics(kafka, { prefix });
  return prefix;
}
