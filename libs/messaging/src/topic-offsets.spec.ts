import type { Admin } from 'kafkajs';
import { fetchTopicOffsetsRetrying } from './topic-offsets';

const offsets = [{ partition: 0, offset: '4', high: '4', low: '0' }];

function adminFailing(errors: Error[]): { admin: Admin; calls: () => number } {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: () => {
      const error = errors[calls++];
      return error ? Promise.reject(error) : Promise.resolve(offsets);
    },
  } as unknown as Admin;
  return { admin, calls: () => calls };
}

const notLeader = () => Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true });

describe('fetchTopicOffsetsRetrying', () => {
  it('asks again while Kafka answers with a retriable error', async () => {
    const { admin, calls } = adminFailing([notLeader(), notLeader()]);
    await expect(fetchTopicOffsetsRetrying(admin, 't', { delayMs: 1 })).resolves.toEqual(offsets);
    expect(calls()).toBe(3);
  });

  it('gives up at once on an error that is not retriable', async () => {
    const { admin, calls } = adminFailing([Object.assign(new Error('not authorized'), { retriable: false })]);
    await expect(fetchTopicOffsetsRetrying(admin, 't', { delayMs: 1 })).rejects.toThrow('not authorized');
    expect(calls()).toBe(1);
  });

  it('gives up after the given number of attempts', async () => {
    const { admin, calls } = adminFailing([notLeader(), notLeader(), notLeader()]);
    await expect(fetchTopicOffsetsRetrying(admin, 't', { attempts: 2, delayMs: 1 })).rejects.toThrow('not the leader');
    expect(calls()).toBe(2);
  });
});
