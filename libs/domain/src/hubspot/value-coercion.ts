import { ViewSqlType, sqlTypeForHubspotType } from './property-sql-type';

/**
 * HubSpot sends every property value as a string or null, but occasionally an integer turns up in a
 * date property or a string in a number one (Sequin, seeds/001 "Data type issues in the Search API";
 * HUBSPOT-FACTS.md "Search"). Coerce when the intent is unambiguous, otherwise drop the value.
 */
export type CoercionResult =
  | { kind: 'ok'; value: string | null }
  | { kind: 'coerced'; value: string; from: string }
  | { kind: 'dropped'; reason: string };

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const EPOCH_RE = /^\d{9,14}$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const TRUE_VALUES = new Set(['true', 't', 'yes', 'y', '1', 'on']);
const FALSE_VALUES = new Set(['false', 'f', 'no', 'n', '0', 'off']);

/** PostgreSQL text and jsonb reject NUL and unpaired surrogates: replace them so a batch never fails on them. */
export function sanitizeText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function coerceValue(hubspotType: string | null | undefined, raw: unknown): CoercionResult {
  if (raw === null || raw === undefined) return { kind: 'ok', value: null };
  return coerceForSqlType(sqlTypeForHubspotType(hubspotType), raw);
}

export function coerceForSqlType(sqlType: ViewSqlType, raw: unknown): CoercionResult {
  if (raw === null || raw === undefined) return { kind: 'ok', value: null };
  switch (sqlType) {
    case 'numeric':
      return coerceNumber(raw);
    case 'timestamptz':
      return coerceDateTime(raw);
    case 'date':
      return coerceDate(raw);
    case 'boolean':
      return coerceBoolean(raw);
    default:
      return coerceText(raw);
  }
}

function coerceText(raw: unknown): CoercionResult {
  if (typeof raw === 'string') {
    const clean = sanitizeText(raw);
    return clean === raw ? { kind: 'ok', value: raw } : { kind: 'coerced', value: clean, from: 'text with invalid characters' };
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return { kind: 'coerced', value: String(raw), from: typeof raw };
  return { kind: 'coerced', value: sanitizeText(JSON.stringify(raw)), from: Array.isArray(raw) ? 'array' : 'object' };
}

function coerceNumber(raw: unknown): CoercionResult {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { kind: 'coerced', value: String(raw), from: 'number' } : { kind: 'dropped', reason: `non-finite number ${raw}` };
  }
  if (typeof raw !== 'string') return { kind: 'dropped', reason: `expected a number, got ${describe(raw)}` };
  if (raw === '') return { kind: 'ok', value: null };
  if (NUMBER_RE.test(raw)) return { kind: 'ok', value: raw };
  const trimmed = raw.trim();
  if (NUMBER_RE.test(trimmed)) return { kind: 'coerced', value: trimmed, from: 'padded number' };
  return { kind: 'dropped', reason: `expected a number, got ${describe(raw)}` };
}

function coerceDateTime(raw: unknown): CoercionResult {
  const epoch = epochMillis(raw);
  if (epoch !== null) {
    const iso = new Date(epoch).toISOString();
    return typeof raw === 'string' && EPOCH_RE.test(raw) && raw.length >= 12
      ? { kind: 'ok', value: raw } // HubSpot's own epoch-millisecond strings are valid datetime values
      : { kind: 'coerced', value: iso, from: describe(raw) };
  }
  if (typeof raw !== 'string') return { kind: 'dropped', reason: `expected a datetime, got ${describe(raw)}` };
  if (raw === '') return { kind: 'ok', value: null };
  const trimmed = raw.trim();
  if ((ISO_DATETIME_RE.test(trimmed) || ISO_DATE_RE.test(trimmed)) && validCalendarDate(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return trimmed === raw ? { kind: 'ok', value: raw } : { kind: 'coerced', value: trimmed, from: 'padded datetime' };
  }
  return { kind: 'dropped', reason: `expected a datetime, got ${describe(raw)}` };
}

function coerceDate(raw: unknown): CoercionResult {
  const epoch = epochMillis(raw);
  if (epoch !== null) {
    const day = new Date(epoch).toISOString().slice(0, 10);
    return { kind: 'coerced', value: day, from: describe(raw) };
  }
  if (typeof raw !== 'string') return { kind: 'dropped', reason: `expected a date, got ${describe(raw)}` };
  if (raw === '') return { kind: 'ok', value: null };
  const trimmed = raw.trim();
  if (ISO_DATE_RE.test(trimmed) && validCalendarDate(trimmed)) {
    return trimmed === raw ? { kind: 'ok', value: raw } : { kind: 'coerced', value: trimmed, from: 'padded date' };
  }
  if (ISO_DATETIME_RE.test(trimmed) && validCalendarDate(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return { kind: 'coerced', value: new Date(Date.parse(trimmed)).toISOString().slice(0, 10), from: 'datetime' };
  }
  return { kind: 'dropped', reason: `expected a date, got ${describe(raw)}` };
}

function coerceBoolean(raw: unknown): CoercionResult {
  if (typeof raw === 'boolean') return { kind: 'coerced', value: String(raw), from: 'boolean' };
  if (typeof raw === 'number' && (raw === 0 || raw === 1)) return { kind: 'coerced', value: String(raw === 1), from: 'number' };
  if (typeof raw !== 'string') return { kind: 'dropped', reason: `expected a boolean, got ${describe(raw)}` };
  if (raw === '') return { kind: 'ok', value: null };
  if (raw === 'true' || raw === 'false') return { kind: 'ok', value: raw };
  const lower = raw.trim().toLowerCase();
  if (TRUE_VALUES.has(lower)) return { kind: 'coerced', value: 'true', from: JSON.stringify(raw) };
  if (FALSE_VALUES.has(lower)) return { kind: 'coerced', value: 'false', from: JSON.stringify(raw) };
  return { kind: 'dropped', reason: `expected a boolean, got ${describe(raw)}` };
}

/** An integer in a date/datetime property: epoch seconds (10 digits) or milliseconds (12–13 digits). */
function epochMillis(raw: unknown): number | null {
  let n: number | null = null;
  if (typeof raw === 'number' && Number.isInteger(raw)) n = raw;
  else if (typeof raw === 'string' && EPOCH_RE.test(raw.trim())) n = Number(raw.trim());
  if (n === null || n < 0) return null;
  const digits = String(n).length;
  const ms = digits <= 10 ? n * 1000 : digits >= 12 ? n : null; // 11 digits is ambiguous
  if (ms === null || ms > 253402300799999) return null; // beyond 9999-12-31
  return ms;
}

function validCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  if (typeof raw === 'object') return 'an object';
  return `${typeof raw} ${String(raw)}`;
}
