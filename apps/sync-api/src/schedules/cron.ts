import { CronExpressionParser } from 'cron-parser';

/** Default schedule: every 15 minutes (seed 002: "Every 15-30 minutes during business hours"). */
export const DEFAULT_SYNC_INTERVAL = '*/15 * * * *';
export const DEFAULT_TIME_ZONE = 'UTC';

export class CronError extends Error {}

/** True when the IANA time zone is known to this Node runtime. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates a five-field cron expression (minute hour day-of-month month day-of-week), the form
 * Weld's `sync_interval` takes (seed 003: "0 *\/6 * * *"). cron-parser also accepts 3-, 4- and
 * 6-field forms, so the field count is checked here first.
 */
export function validateCron(expression: string, timeZone = DEFAULT_TIME_ZONE): void {
  if (typeof expression !== 'string' || expression.trim() === '') throw new CronError('must be a cron expression');
  if (expression.length > 200) throw new CronError('must be at most 200 characters');
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronError(`must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  if (!isValidTimeZone(timeZone)) throw new CronError(`time zone "${timeZone}" is not a known IANA time zone`);
  try {
    CronExpressionParser.parse(expression.trim(), { tz: timeZone, currentDate: new Date() }).next();
  } catch (error) {
    throw new CronError(`is not a valid cron expression (${(error as Error).message})`);
  }
}

/** The first fire strictly after `after`, in the schedule's time zone. */
export function nextFireAfter(expression: string, timeZone: string, after: Date): Date {
  const parsed = CronExpressionParser.parse(expression.trim(), { tz: timeZone, currentDate: after });
  return parsed.next().toDate();
}
