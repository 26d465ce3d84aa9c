import { CronError, nextFireAfter, validateCron } from './cron';

describe('cron schedules', () => {
  it('accepts five-field expressions, including business hours', () => {
    expect(() => validateCron('*/15 * * * *')).not.toThrow();
    expect(() => validateCron('0 */6 * * *')).not.toThrow();
    expect(() => validateCron('*/15 8-18 * * 1-5', 'Europe/Copenhagen')).not.toThrow();
    expect(() => validateCron('0 9 * * MON-FRI', 'America/New_York')).not.toThrow();
  });

  it.each([
    ['', /cron expression/],
    ['* * *', /5 fields/],
    ['*/15 * * * * *', /5 fields/],
    ['61 * * * *', /not a valid cron/],
    ['* * * * 8', /not a valid cron/],
    ['0 0 31 2 *', /not a valid cron/],
    ['every minute', /5 fields|not a valid/],
  ])('rejects %p', (expression, message) => {
    expect(() => validateCron(expression)).toThrow(CronError);
    expect(() => validateCron(expression)).toThrow(message);
  });

  it('rejects unknown time zones', () => {
    expect(() => validateCron('*/15 * * * *', 'Mars/Olympus')).toThrow(/time zone/);
  });

  it('computes the next fire in the schedule time zone', () => {
    // Saturday noon UTC → next business-hours slot is Monday 08:00 in Copenhagen (07:00 UTC in winter).
    expect(nextFireAfter('*/15 8-18 * * 1-5', 'Europe/Copenhagen', new Date('2025-01-04T12:00:00Z')).toISOString()).toBe(
      '2025-01-06T07:00:00.000Z',
    );
    // Inside business hours: the next quarter hour.
    expect(nextFireAfter('*/15 8-18 * * 1-5', 'Europe/Copenhagen', new Date('2025-01-06T09:07:00Z')).toISOString()).toBe(
      '2025-01-06T09:15:00.000Z',
    );
    // Strictly after: a time exactly on a slot yields the following slot.
    expect(nextFireAfter('*/15 * * * *', 'UTC', new Date('2025-01-06T09:15:00Z')).toISOString()).toBe('2025-01-06T09:30:00.000Z');
  });
});
