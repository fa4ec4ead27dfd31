import type { ReceivedRecord } from '@tlp/testing';

export type Payload = Record<string, unknown>;

export const payloadOf = (r: ReceivedRecord | undefined): Payload => ((r?.json as { payload?: Payload } | null)?.payload ?? {});
export const eventIdOf = (r: ReceivedRecord): string => (r.json as { eventId: string }).eventId;
export const onTopic = (topic: string) => (r: ReceivedRecord) => r.topic.endsWith(`.${topic}`) || r.topic === topic;
export const forOrder = (orderId: string) => (r: ReceivedRecord) => payloadOf(r)['orderId'] === orderId;
export const forDecision = (decisionId: string) => (r: ReceivedRecord) => payloadOf(r)['decisionId'] === decisionId;
export const touchesOrder = (orderId: string) => (r: ReceivedRecord) => ((payloadOf(r)['orderIds'] as string[] | undefined) ?? []).includes(orderId);

/** Polls `probe` until `accept` holds or the time is up; returns the last value either way. */
export async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}
