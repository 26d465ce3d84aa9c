import { PropertyType } from '../property-definitions';

/**
 * Operator semantics of `POST /crm/v3/objects/{type}/search`, one implementation used for every
 * value source (dictionary entries, virtual timestamp/id properties, search-lag snapshots).
 *
 * Sources: operators — SDK FilterOperatorEnum (lib/codegen/crm/objects/models/Filter.d.ts);
 * HubSpot "Search the CRM" guide: string matching is case-insensitive except enumerations,
 * `IN` on string properties only matches lower-case values, `BETWEEN` uses `value`/`highValue`,
 * `CONTAINS_TOKEN` accepts `*` wildcards (e.g. `*@hubspot.com`), date values are epoch ms.
 * Assumption (documented in README): NEQ/NOT_IN/NOT_CONTAINS_TOKEN match only records that have a
 * value; use NOT_HAS_PROPERTY in another filter group for empty ones.
 */
export type Operator =
  | 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'BETWEEN' | 'IN' | 'NOT_IN'
  | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'CONTAINS_TOKEN' | 'NOT_CONTAINS_TOKEN';

export const OPERATORS: Operator[] = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
];

export interface FilterInput {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export type ValueKind = 'number' | 'time' | 'string' | 'enumeration' | 'bool';

export function kindOf(type: PropertyType): ValueKind {
  switch (type) {
    case 'number': return 'number';
    case 'date':
    case 'datetime': return 'time';
    case 'enumeration': return 'enumeration';
    case 'bool': return 'bool';
    default: return 'string';
  }
}

/** Epoch ms from a stored or filter value: digits are epoch ms, anything else an ISO date. */
export function parseTime(value: string): number {
  if (/^-?\d+$/.test(value.trim())) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? NaN : t;
}

export function parseNumber(value: string): number {
  const t = value.trim();
  return t === '' ? NaN : Number(t);
}

export function tokens(value: string): string[] {
  return value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** A compiled test for one filter over raw string values (null = no value). */
export function compileValueTest(filter: FilterInput, kind: ValueKind): (value: string | null) => boolean {
  const op = filter.operator;
  if (op === 'HAS_PROPERTY') return (v) => v !== null;
  if (op === 'NOT_HAS_PROPERTY') return (v) => v === null;
  if (op === 'CONTAINS_TOKEN' || op === 'NOT_CONTAINS_TOKEN') {
    const match = tokenMatcher(filter.value ?? '');
    return op === 'CONTAINS_TOKEN' ? (v) => v !== null && match(v) : (v) => v !== null && !match(v);
  }
  if (kind === 'number' || kind === 'time') {
    const parse = kind === 'number' ? parseNumber : parseTime;
    const numTest = compileNumberTest(filter, parse);
    return (v) => v !== null && numTest(parse(v));
  }
  const normalize = kind === 'enumeration' ? (s: string) => s : (s: string) => s.toLowerCase();
  const target = filter.value === undefined ? '' : normalize(filter.value);
  switch (op) {
    case 'EQ': return (v) => v !== null && normalize(v) === target;
    case 'NEQ': return (v) => v !== null && normalize(v) !== target;
    case 'LT': return (v) => v !== null && normalize(v) < target;
    case 'LTE': return (v) => v !== null && normalize(v) <= target;
    case 'GT': return (v) => v !== null && normalize(v) > target;
    case 'GTE': return (v) => v !== null && normalize(v) >= target;
    case 'BETWEEN': {
      const high = normalize(filter.highValue ?? '');
      return (v) => v !== null && normalize(v) >= target && normalize(v) <= high;
    }
    case 'IN':
    case 'NOT_IN': {
      // Strings: stored values are compared lower-cased against the values as sent, so an IN
      // list with capitals never matches (HubSpot search guide: "values must be lowercase").
      const set = new Set(filter.values ?? []);
      const inSet = (v: string) => set.has(normalize(v));
      return op === 'IN' ? (v) => v !== null && inSet(v) : (v) => v !== null && !inSet(v);
    }
    default:
      return () => false;
  }
}

/** Test over a numeric value (NaN = not a number: never matches a comparison). */
export function compileNumberTest(filter: FilterInput, parse: (v: string) => number): (n: number) => boolean {
  const value = filter.value === undefined ? NaN : parse(filter.value);
  switch (filter.operator) {
    case 'EQ': return (n) => n === value;
    case 'NEQ': return (n) => !Number.isNaN(n) && n !== value;
    case 'LT': return (n) => n < value;
    case 'LTE': return (n) => n <= value;
    case 'GT': return (n) => n > value;
    case 'GTE': return (n) => n >= value;
    case 'BETWEEN': {
      const high = filter.highValue === undefined ? NaN : parse(filter.highValue);
      return (n) => n >= value && n <= high;
    }
    case 'IN':
    case 'NOT_IN': {
      const set = new Set((filter.values ?? []).map(parse));
      return filter.operator === 'IN' ? (n) => set.has(n) : (n) => !Number.isNaN(n) && !set.has(n);
    }
    case 'HAS_PROPERTY': return (n) => !Number.isNaN(n);
    case 'NOT_HAS_PROPERTY': return (n) => Number.isNaN(n);
    default: return () => false;
  }
}

/** Range a numeric filter selects, for driving an ordered index. */
export function numericRange(filter: FilterInput, parse: (v: string) => number): { lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean } | null {
  const v = filter.value === undefined ? NaN : parse(filter.value);
  switch (filter.operator) {
    case 'EQ': return Number.isNaN(v) ? null : { lo: v, hi: v };
    case 'GT': return Number.isNaN(v) ? null : { lo: v, loInclusive: false };
    case 'GTE': return Number.isNaN(v) ? null : { lo: v };
    case 'LT': return Number.isNaN(v) ? null : { hi: v, hiInclusive: false };
    case 'LTE': return Number.isNaN(v) ? null : { hi: v };
    case 'BETWEEN': {
      const h = filter.highValue === undefined ? NaN : parse(filter.highValue);
      return Number.isNaN(v) || Number.isNaN(h) ? null : { lo: v, hi: h };
    }
    default: return null;
  }
}

function tokenMatcher(query: string): (value: string) => boolean {
  if (query.includes('*')) {
    const pattern = query.toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    const whole = new RegExp(`^${pattern}$`, 'u');
    return (value) => {
      const lower = value.toLowerCase();
      return whole.test(lower) || lower.split(/\s+/).some((word) => whole.test(word));
    };
  }
  const wanted = tokens(query);
  if (wanted.length === 0) return () => false;
  return (value) => {
    const have = tokens(value);
    outer: for (let i = 0; i + wanted.length <= have.length; i++) {
      for (let j = 0; j < wanted.length; j++) if (have[i + j] !== wanted[j]) continue outer;
      return true;
    }
    return false;
  };
}

/** Free-text `query`: every query token must prefix a token of one of the searchable values. */
export function queryMatcher(query: string): (values: Array<string | null>) => boolean {
  const wanted = tokens(query);
  return (values) => {
    const have = values.flatMap((v) => (v === null ? [] : tokens(v)));
    return wanted.every((w) => have.some((h) => h.startsWith(w)));
  };
}
