import { isValidTimeZone, LocalDayClock, localDayKey, nextMidnightMs } from './time-zone';

describe('portal time zone arithmetic', () => {
  it('finds the next midnight in UTC and in zones east and west of it', () => {
    const t = Date.parse('2025-03-05T15:30:00Z');
    expect(new Date(nextMidnightMs('UTC', t)).toISOString()).toBe('2025-03-06T00:00:00.000Z');
    expect(new Date(nextMidnightMs('America/New_York', t)).toISOString()).toBe('2025-03-06T05:00:00.000Z');
    expect(new Date(nextMidnightMs('Asia/Kolkata', t)).toISOString()).toBe('2025-03-05T18:30:00.000Z');
  });

  it('handles the night clocks change (New York springs forward on 2025-03-09)', () => {
    const t = Date.parse('2025-03-09T12:00:00Z'); // 08:00 EDT on the 9th
    expect(new Date(nextMidnightMs('America/New_York', t)).toISOString()).toBe('2025-03-10T04:00:00.000Z');
    const before = Date.parse('2025-03-08T12:00:00Z'); // 07:00 EST on the 8th
    expect(new Date(nextMidnightMs('America/New_York', before)).toISOString()).toBe('2025-03-09T05:00:00.000Z');
  });

  it('keys days by the local calendar', () => {
    const t = Date.parse('2025-03-05T23:30:00Z');
    expect(localDayKey('UTC', t)).toBe('2025-03-05');
    expect(localDayKey('Europe/Berlin', t)).toBe('2025-03-06');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  describe('LocalDayClock', () => {
    it('answers like the functions across midnights and DST changes', () => {
      const clock = new LocalDayClock('America/New_York');
      const start = Date.parse('2025-03-07T12:00:00Z');
      for (let t = start; t < start + 4 * 86_400_000; t += 37 * 60_000) {
        expect(clock.at(t)).toEqual({ key: localDayKey('America/New_York', t), nextMidnightMs: nextMidnightMs('America/New_York', t) });
      }
    });

    it('does no calendar arithmetic between two midnights', () => {
      const clock = new LocalDayClock('Europe/Berlin');
      const t = Date.parse('2025-06-01T08:00:00Z');
      const first = clock.at(t);
      const formatToParts = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
      try {
        for (let i = 1; i <= 1000; i++) expect(clock.at(t + i * 1000)).toBe(first);
        expect(formatToParts).not.toHaveBeenCalled();
        expect(clock.at(first.nextMidnightMs).key).toBe('2025-06-02');
        expect(formatToParts).toHaveBeenCalled();
      } finally {
        formatToParts.mockRestore();
      }
    });

    it('recomputes when the zone changes or the clock goes backwards', () => {
      const t = Date.parse('2025-03-05T23:30:00Z');
      const clock = new LocalDayClock('UTC');
      expect(clock.at(t).key).toBe('2025-03-05');
      clock.timeZone = 'Europe/Berlin';
      expect(clock.at(t).key).toBe('2025-03-06');
      expect(clock.at(t - 86_400_000).key).toBe('2025-03-05');
    });
  });
});
