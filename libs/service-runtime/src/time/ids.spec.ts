import { describe, expect, it } from '@jest/globals';
import { RandomIdGenerator, SequentialIdGenerator, deterministicId } from './ids';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministicId', () => {
  it('is a uuid v5 that never changes for the same purpose and parts', () => {
    const id = deterministicId('executor.client-order-id', 'decision-42');
    expect(id).toMatch(UUID_V5);
    expect(id).toBe(deterministicId('executor.client-order-id', 'decision-42'));
    // Pinned: a change here would re-key every id already stored and defeat inbox deduplication.
    expect(id).toBe('47c16794-836b-5a92-ba9b-3cdf9e1348a7');
  });

  it('differs by purpose, by parts and by how parts are split', () => {
    const ids = new Set([
      deterministicId('executor.client-order-id', 'decision-42'),
      deterministicId('position-monitor.position-id', 'decision-42'),
      deterministicId('executor.client-order-id', 'decision-43'),
      deterministicId('executor.client-order-id', 'a:b', 'c'),
      deterministicId('executor.client-order-id', 'a', 'b:c'),
      deterministicId('executor.client-order-id', 'a', 'b', 'c'),
    ]);
    expect(ids.size).toBe(6);
  });
});

describe('id generators', () => {
  it('draws random v4 uuids', () => {
    const ids = new RandomIdGenerator();
    const [a, b] = [ids.next(), ids.next()];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('counts for tests', () => {
    const ids = new SequentialIdGenerator();
    expect([ids.next(), ids.next()]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
  });
});
