/** HubSpot date and datetime values: `YYYY-MM-DD`, ISO-8601 timestamps or epoch milliseconds. */
export function toTimestamp(value: string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const s = value.trim();
  if (s === '') return null;
  if (/^\d{12,14}$/.test(s)) return new Date(Number(s));
  if (/^\d{10}$/.test(s)) return new Date(Number(s) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? null : new Date(t);
}

export function toIsoDay(value: string | null | undefined): string | null {
  const t = toTimestamp(value);
  return t ? t.toISOString().slice(0, 10) : null;
}

export function toIsoTimestamp(value: string | null | undefined): string | null {
  const t = toTimestamp(value);
  return t ? t.toISOString() : null;
}
