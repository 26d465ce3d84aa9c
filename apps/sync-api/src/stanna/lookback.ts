/**
 * Backfill lookback (seed 002: "Configurable lookback period (default 2 years)"): either the short
 * form `<n><unit>` (`2y`, `18m`, `6w`, `90d`, `12h`) or an ISO-8601 duration (`P2Y`, `P1Y6M`, `P30D`,
 * `PT36H`, `P2W`). Returns the lower bound on the create date, computed in calendar terms (UTC).
 */
export const DEFAULT_LOOKBACK = '2y';
export const MAX_LOOKBACK_YEARS = 30;

export interface Lookback {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const SHORT = /^(\d{1,5})(y|m|w|d|h)$/i;
const ISO = /^P(?!$)(?:(\d{1,5})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,5})D)?(?:T(?!$)(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/i;

export class LookbackError extends Error {}

export function parseLookback(text: string): Lookback {
  const value = text.trim();
  const empty: Lookback = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  const short = SHORT.exec(value);
  let lookback: Lookback | undefined;
  if (short) {
    const n = Number(short[1]);
    const unit = short[2].toLowerCase();
    const key = ({ y: 'years', m: 'months', w: 'weeks', d: 'days', h: 'hours' } as const)[unit as 'y' | 'm' | 'w' | 'd' | 'h'];
    lookback = { ...empty, [key]: n };
  } else {
    const iso = ISO.exec(value);
    if (iso) {
      const [, y, mo, w, d, h, mi, s] = iso.map((part) => (part === undefined ? 0 : Number(part))) as number[];
      lookback = { years: y, months: mo, weeks: w, days: d, hours: h, minutes: mi, seconds: s };
    }
  }
  if (!lookback) {
    throw new LookbackError('lookback must be like "2y", "18m", "90d" or an ISO-8601 duration such as "P2Y" or "P1Y6M"');
  }
  const approxYears =
    lookback.years + lookback.months / 12 + (lookback.weeks * 7 + lookback.days) / 365 + (lookback.hours + lookback.minutes / 60 + lookback.seconds / 3600) / 8760;
  if (approxYears <= 0) throw new LookbackError('lookback must be longer than zero');
  if (approxYears > MAX_LOOKBACK_YEARS) throw new LookbackError(`lookback must not exceed ${MAX_LOOKBACK_YEARS} years`);
  return lookback;
}

/** `now` minus the lookback, calendar-aware (2y before 2024-02-29 is 2022-02-28, not March 1st). */
export function lookbackStart(lookback: Lookback, now: Date): Date {
  const d = new Date(now.getTime());
  const totalMonths = lookback.years * 12 + lookback.months;
  if (totalMonths > 0) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - totalMonths);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  const ms = ((lookback.weeks * 7 + lookback.days) * 24 * 3600 + lookback.hours * 3600 + lookback.minutes * 60 + lookback.seconds) * 1000;
  return new Date(d.getTime() - ms);
}
