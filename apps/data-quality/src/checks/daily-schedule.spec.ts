import { newYorkWallClock } from '@tlp/service-runtime';
import { isDailyRunDue } from './daily-schedule';

describe('daily reconciliation schedule', () => {
  it('is not due before 02:00 New York, even at 06:59 UTC in winter', () => {
    expect(isDailyRunDue(newYorkWallClock(new Date('2026-11-25T06:59:00Z')), '02:00', null)).toBe(false);
  });

  it('is due from 02:00 New York (07:00 UTC in winter, 06:00 UTC in summer)', () => {
    expect(isDailyRunDue(newYorkWallClock(new Date('2026-11-25T07:00:00Z')), '02:00', null)).toBe(true);
    expect(isDailyRunDue(newYorkWallClock(new Date('2026-07-01T06:00:00Z')), '02:00', null)).toBe(true);
  });

  it('is not due again the same New York date once done, and due the next day', () => {
    expect(isDailyRunDue({ date: '2026-11-25', time: '09:00' }, '02:00', '2026-11-25')).toBe(false);
    expect(isDailyRunDue({ date: '2026-11-26', time: '02:01' }, '02:00', '2026-11-25')).toBe(true);
  });
});
