import { describe, expect, it } from '@jest/globals';
import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  it('is ready with no checks', async () => {
    await expect(new ReadinessRegistry().evaluate()).resolves.toEqual({ ok: true, checks: [] });
  });

  it('reports each check and is ready only when all pass', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', () => Promise.resolve(true));
    registry.register('kafka', () => Promise.resolve({ ok: false, detail: 'consumer not joined' }));
    registry.register('broker', () => Promise.reject(new Error('session expired')));
    await expect(registry.evaluate()).resolves.toEqual({
      ok: false,
      checks: [
        { name: 'database', ok: true, detail: null },
        { name: 'kafka', ok: false, detail: 'consumer not joined' },
        { name: 'broker', ok: false, detail: 'session expired' },
      ],
    });
  });

  it('fails a check that outlives its timeout, without waiting for it', async () => {
    const registry = new ReadinessRegistry({ checkTimeoutMs: 20 });
    let release = (): void => undefined;
    registry.register('slow', () => new Promise<boolean>((resolve) => (release = () => resolve(true))));
    const started = Date.now();
    const report = await registry.evaluate();
    release();
    expect(report).toEqual({
      ok: false,
      checks: [{ name: 'slow', ok: false, detail: 'timed out after 20 ms' }],
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails a check that throws synchronously', async () => {
    const registry = new ReadinessRegistry();
    registry.register('bad', () => {
      throw new Error('not a promise');
    });
    await expect(registry.evaluate()).resolves.toMatchObject({
      ok: false,
      checks: [{ detail: 'not a promise' }],
    });
  });

  it('refuses a duplicate name and removes a check through its handle', async () => {
    const registry = new ReadinessRegistry();
    const unregister = registry.register('database', () => Promise.resolve(false));
    expect(() => registry.register('database', () => Promise.resolve(true))).toThrow(/already registered/);
    unregister();
    await expect(registry.evaluate()).resolves.toEqual({ ok: true, checks: [] });
  });
});
