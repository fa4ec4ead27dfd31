import { decidePoll } from './poll-schedule';

// 2026-11-24 is a Tuesday; New York is UTC-5 then.
const at = (nyTime: string) => new Date(`2026-11-24T${nyTime}:00-05:00`);

describe('decidePoll', () => {
  it('polls on every tick while the market is open', () => {
    expect(decidePoll(at('10:00'), true, '18:00', null)).toMatchObject({ poll: true, reason: 'MARKET_OPEN' });
  });

  it('does not poll while the market is closed before the after-hours time', () => {
    expect(decidePoll(at('17:59'), false, '18:00', null)).toEqual({ poll: false, afterHoursDate: null });
  });

  it('polls once at 18:00 New York, then not again that day', () => {
    const first = decidePoll(at('18:00'), false, '18:00', null);
    expect(first).toEqual({ poll: true, reason: 'AFTER_HOURS_PASS', afterHoursDate: '2026-11-24' });
    expect(decidePoll(at('18:05'), false, '18:00', first.afterHoursDate)).toEqual({ poll: false, afterHoursDate: '2026-11-24' });
    expect(decidePoll(new Date('2026-11-25T23:01:00Z'), false, '18:00', first.afterHoursDate)).toMatchObject({ poll: true, afterHoursDate: '2026-11-25' });
  });

  it('polls when the broker clock cannot be read', () => {
    expect(decidePoll(at('03:00'), null, '18:00', null)).toMatchObject({ poll: true, reason: 'CLOCK_UNKNOWN' });
  });
});
