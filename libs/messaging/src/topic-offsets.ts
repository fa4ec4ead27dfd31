import type { Admin } from 'kafkajs';
import type { PartitionOffsets } from './consumer-lag';

/**
 * `admin.fetchTopicOffsets`, retried while Kafka answers with a retriable error. kafkajs retries
 * only UNKNOWN_TOPIC_OR_PARTITION there and gives up at once on NOT_LEADER_OR_FOLLOWER, which a
 * KRaft broker answers for a moment after a topic was created or its leadership moved.
 */
export async function fetchTopicOffsetsRetrying(admin: Admin, topic: string, options: { readonly attempts?: number; readonly delayMs?: number } = {}): Promise<PartitionOffsets[]> {
  const attempts = options.attempts ?? 40;
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 250));
    }
  }
}
