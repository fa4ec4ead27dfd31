import { describe, expect, it } from '@jest/globals';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { ConsumerLagMonitor } from './consumer-lag.monitor';

/** A cluster that never answers: connecting hangs forever. */
function unreachableKafka(): Kafka {
  const admin = { connect: () => new Promise<void>(() => undefined), disconnect: () => Promise.resolve() };
  return { admin: () => admin } as unknown as Kafka;
}

describe('ConsumerLagMonitor', () => {
  it('stops within its grace period while a reading hangs on an unreachable broker', async () => {
    const kafka = unreachableKafka();
    const monitor = new ConsumerLagMonitor({ kafka, registry: new Registry(), groupId: 'g', topics: () => ['order.filled'] });
    void monitor.poll();
    const started = Date.now();
    await monitor.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not read (nor connect) while the group consumes no topic yet', async () => {
    let connects = 0;
    const kafka = { admin: () => ({ connect: () => Promise.resolve(void (connects += 1)) }) } as unknown as Kafka;
    const registry = new Registry();
    const monitor = new ConsumerLagMonitor({ kafka, registry, groupId: 'g', topics: () => [] });
    await monitor.poll();
    expect(connects).toBe(0);
    const runs = (await registry.getMetricsAsJSON()).find((m) => m.name === 'tlp_job_runs_total')?.values ?? [];
    expect(runs.find((v) => v.labels['outcome'] === 'success')?.value).toBe(1);
  });
});
