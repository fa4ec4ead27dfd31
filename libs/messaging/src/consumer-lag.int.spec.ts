import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { testKafka } from '@tlp/testing';
import { ConsumerLagMonitor } from './consumer-lag.monitor';

async function series(registry: Registry, name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []) as { labels: Record<string, string | number>; value: number }[];
}

describe('ConsumerLagMonitor on the real broker', () => {
  const prefix = `lag-${randomUUID().slice(0, 8)}.`;
  const topic = 'lag.probe';
  const groupId = `lag-group-${randomUUID().slice(0, 8)}`;
  let kafka: Kafka;
  let admin: Admin;
  let now = 1_000_000;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: prefix + topic, numPartitions: 2 }] });
    // KRaft answers UNKNOWN_TOPIC_OR_PARTITION for a moment after creating a topic, which kafkajs'
    // waitForLeaders does not retry: wait until both partitions have a leader.
    for (let attempt = 0; ; attempt += 1) {
      const leaders = await admin
        .fetchTopicMetadata({ topics: [prefix + topic] })
        .then((m) => m.topics[0]?.partitions.filter((p) => p.leader >= 0).length ?? 0)
        .catch(() => 0);
      if (leaders === 2) break;
      if (attempt === 100) throw new Error(`topic ${prefix + topic} has no leaders after 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: prefix + topic, messages: [0, 1, 2, 3, 4].map((i) => ({ partition: i % 2, value: `m${i}` })) });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [prefix + topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reports the lag of a group that committed nothing, then catches up, then stalls', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const monitor = new ConsumerLagMonitor({ kafka, registry, groupId, topics: () => [topic], topicPrefix: prefix, now: () => now, onError: (e) => errors.push(e) });
    try {
      // On a fresh broker the group coordinator (__consumer_offsets) may not exist yet: that reading
      // fails and the monitor, as on its timer, simply reads again.
      let lags = await series(registry, 'tlp_kafka_consumer_group_lag');
      for (let attempt = 0; lags.length === 0 && attempt < 50; attempt += 1) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
        await monitor.poll();
        lags = await series(registry, 'tlp_kafka_consumer_group_lag');
      }
      if (lags.length === 0) throw new Error(`no lag reading after 50 polls; last error: ${String(errors.at(-1))}`);
      expect(lags.map((s) => [s.labels.partition, s.value]).sort()).toEqual([
        ['0', 3],
        ['1', 2],
      ]);
      expect(lags.every((s) => s.labels.group === groupId && s.labels.topic === topic)).toBe(true);

      await admin.setOffsets({ groupId: prefix + groupId, topic: prefix + topic, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '2' }] });
      now += 60_000;
      await monitor.poll();
      expect((await series(registry, 'tlp_kafka_consumer_group_lag')).map((s) => s.value)).toEqual([0, 0]);
      const caughtUpAt = now / 1000;
      expect((await series(registry, 'tlp_kafka_consumer_group_last_progress_timestamp_seconds'))[0]?.value).toBe(caughtUpAt);

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: prefix + topic, messages: [{ partition: 0, value: 'late' }] });
      await producer.disconnect();
      now += 600_000;
      await monitor.poll();
      expect((await series(registry, 'tlp_kafka_consumer_group_lag')).find((s) => s.labels.partition === '0')?.value).toBe(1);
      expect((await series(registry, 'tlp_kafka_consumer_group_last_progress_timestamp_seconds'))[0]?.value).toBe(caughtUpAt);
      const runs = await series(registry, 'tlp_job_runs_total');
      expect(runs.find((s) => s.labels.job_name === 'consumer_lag_poll' && s.labels.outcome === 'success')?.value).toBe(3);
      expect(runs.find((s) => s.labels.job_name === 'consumer_lag_poll' && s.labels.outcome === 'failure')?.value ?? 0).toBe(errors.length);
    } finally {
      await monitor.stop();
    }
  });
});
