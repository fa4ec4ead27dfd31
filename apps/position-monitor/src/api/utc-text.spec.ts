import { describe, expect, it } from '@jest/globals';
import { isoOfUtcText } from './utc-text';

describe('isoOfUtcText', () => {
  it('writes what Date#toISOString writes, milliseconds truncated', () => {
    const cases: [string, string][] = [
      ['2026-03-02 14:30:00', '2026-03-02T14:30:00.000Z'],
      ['2026-03-02 14:30:00.5', '2026-03-02T14:30:00.500Z'],
      ['2026-03-02 14:30:00.12', '2026-03-02T14:30:00.120Z'],
      ['2026-03-02 14:30:00.123', '2026-03-02T14:30:00.123Z'],
      ['2026-03-02 14:30:00.999999', '2026-03-02T14:30:00.999Z'],
      ['2026-03-02 14:30:00.000001', '2026-03-02T14:30:00.000Z'],
      ['0999-12-31 23:59:59.0005', '0999-12-31T23:59:59.000Z'],
    ];
    for (const [utc, iso] of cases) {
      expect(isoOfUtcText(utc)).toBe(iso);
      expect(new Date(`${utc.replace(' ', 'T').slice(0, 23)}Z`).toISOString()).toBe(iso);
    }
  });

  it('refuses a text it does not know rather than guess', () => {
    for (const odd of ['2026-03-02 14:30:00+00', '2026-03-02T14:30:00', '12026-03-02 14:30:00', '0001-01-01 00:00:00 BC', 'infinity', '']) {
      expect(() => isoOfUtcText(odd)).toThrow(/unexpected timestamp text/);
    }
  });
});
