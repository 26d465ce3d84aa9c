/** Calendar arithmetic in a portal's IANA time zone (the daily limit resets at its midnight). */

function partsIn(timeZone: string, instantMs: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(instantMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
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
