import { isRetriable, RetriableError } from './errors';

describe('isRetriable', () => {
  it('retries declared-retriable errors, transient PostgreSQL codes and connection failures', () => {
    expect(isRetriable(new RetriableError('broker busy'))).toBe(true);
    expect(isRetriable(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBe(true);
    expect(isRetriable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetriable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '40001' }) }))).toBe(true);
  });

  it('does not retry bugs or constraint violations', () => {
    expect(isRetriable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isRetriable('a string')).toBe(false);
  });
});
