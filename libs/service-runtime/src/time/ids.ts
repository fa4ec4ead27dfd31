import { randomUUID } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';

/** Where fresh ids come from; an abstract class so it doubles as a Nest injection token. */
export abstract class IdGenerator {
  /** A new, never-before-seen uuid. */
  abstract next(): string;
}

/** Random uuid v4. */
export class RandomIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}

/** For tests: `00000000-0000-4000-8000-000000000001`, `…0002`, … */
export class SequentialIdGenerator extends IdGenerator {
  private count = 0;

  next(): string {
    this.count += 1;
    return `00000000-0000-4000-8000-${this.count.toString(16).padStart(12, '0')}`;
  }
}

/** Root of every deterministic id in the platform. Never change it: ids already stored would no longer match. */
export const TLP_ID_NAMESPACE = '5b0f3c0e-7a4d-4c1e-9f5a-2d8e6b1c4a70';

/**
 * A uuid v5 derived from the purpose (`namespace`, e.g. `'executor.client-order-id'`) and the
 * source ids, so a replay after a crash derives the same id and downstream inboxes drop the
 * duplicate. Parts are JSON-encoded, so `('a:b', 'c')` and `('a', 'b:c')` differ.
 */
export function deterministicId(namespace: string, ...parts: readonly [string, ...string[]]): string {
  return uuidV5(JSON.stringify(parts), uuidV5(namespace, TLP_ID_NAMESPACE));
}
