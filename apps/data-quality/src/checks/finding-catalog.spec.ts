import { checksOf, resolvableTypes, scopeOf } from './finding-catalog';

describe('finding catalog', () => {
  it('runs the broker check only in a full run', () => {
    expect(checksOf('STANDARD')).not.toContain('BROKER_POSITIONS');
    expect(checksOf('FULL')).toContain('BROKER_POSITIONS');
    expect(scopeOf('DAILY', false)).toBe('FULL');
    expect(scopeOf('INTERVAL', false)).toBe('STANDARD');
    expect(scopeOf('ON_DEMAND', true)).toBe('FULL');
  });

  it('given the broker unreachable, then drift findings are neither seen nor resolved', () => {
    const types = resolvableTypes(checksOf('FULL'), false);
    expect(types).not.toContain('BROKER_POSITION_DRIFT');
    expect(types).toContain('BROKER_POSITIONS_UNKNOWN');
    expect(resolvableTypes(checksOf('FULL'), true)).toContain('BROKER_POSITION_DRIFT');
  });

  it('given a standard run, then no broker finding is resolvable', () => {
    const types = resolvableTypes(checksOf('STANDARD'), false);
    expect(types).not.toContain('BROKER_POSITIONS_UNKNOWN');
    expect(types).toHaveLength(10);
  });
});
