/** Calendar arithmetic in a portal's IANA time zone (the daily limit resets at its midnight). */

/**
 * Formatters per zone: building an `Intl.DateTimeFormat` costs far more than using one (ICU loads the
 * zone's rules and allocates native memory each time), and the limiter asks on every request. There
 * are few zones in use; the map is bounded anyway so arbitrary input cannot grow it.
 */
const FORMATTER_CACHE_MAX = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= FORMATTER_CACHE_MAX) formatters.delete(formatters.keys().next().value as string);
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

function partsIn(timeZone: string, instantMs: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p['year'], m: p['month'], d: p['day'], h: p['hour'] % 24, min: p['minute'], s: p['second'] };
}

/** Offset of `timeZone` from UTC at an instant, in ms (positive east of Greenwich). */
export function timeZoneOffsetMs(timeZone: string, instantMs: number): number {
  const p = partsIn(timeZone, instantMs);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The local calendar day of an instant in a time zone, `YYYY-MM-DD`. */
export function localDayKey(timeZone: string, instantMs: number): string {
  const p = partsIn(timeZone, instantMs);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The first instant of the next local day (midnight) in `timeZone`, as epoch ms. */
export function nextMidnightMs(timeZone: string, instantMs: number): number {
  const p = partsIn(timeZone, instantMs);
  const localMidnightAsUtc = Date.UTC(p.y, p.m - 1, p.d + 1, 0, 0, 0);
  // Two refinements settle DST transitions (the offset at midnight may differ from now's).
  let guess = localMidnightAsUtc - timeZoneOffsetMs(timeZone, instantMs);
  guess = localMidnightAsUtc - timeZoneOffsetMs(timeZone, guess);
  return guess;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The local day an instant falls in, and when it ends (the next local midnight). */
export interface LocalDay {
  key: string;
  nextMidnightMs: number;
}

/**
 * The current local day of one time zone, computed once per day: the day key cannot change before
 * the next local midnight, so between two midnights answering costs a comparison instead of the
 * calendar arithmetic above (which showed up as ~10% of the fetcher's busy time when it ran on
 * every request). A clock that goes backwards (tests, NTP steps) recomputes.
 */
export class LocalDayClock {
  private day: LocalDay | null = null;
  private computedAt = 0;

  constructor(private zone: string) {}

  get timeZone(): string {
    return this.zone;
  }

  set timeZone(zone: string) {
    if (zone === this.zone) return;
    this.zone = zone;
    this.day = null;
  }

  at(nowMs: number): LocalDay {
    if (this.day && nowMs >= this.computedAt && nowMs < this.day.nextMidnightMs) return this.day;
    const next = nextMidnightMs(this.zone, nowMs);
    this.day = { key: localDayKey(this.zone, nowMs), nextMidnightMs: next };
    // A midnight at or before now (should not happen) must not pin a stale day: recompute next time.
    this.computedAt = next > nowMs ? nowMs : Number.POSITIVE_INFINITY;
    return this.day;
  }
}
