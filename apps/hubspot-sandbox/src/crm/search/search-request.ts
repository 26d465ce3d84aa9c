import { validationError } from '../../http/hubspot-error';
import { FilterInput, OPERATORS, Operator } from './filter-semantics';

/**
 * Validation of the search body (SDK PublicObjectSearchRequest: filterGroups, sorts, query,
 * properties, limit, after). Limits: HubSpot "Search the CRM" guide — up to 5 filterGroups, 6
 * filters per group, 18 filters in total (an Aug 2024 changelog said 5×10/25; the stricter numbers
 * are the default and configurable), one sort, limit ≤ 200 (default 10), at most 10,000 results
 * per query (paging past it → 400).
 */
export interface SearchLimits {
  maxGroups: number;
  maxFiltersPerGroup: number;
  maxFilters: number;
  maxLimit: number;
  maxResults: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18, maxLimit: 200, maxResults: 10_000 };

export interface SearchSort {
  propertyName: string;
  descending: boolean;
}

export interface SearchRequest {
  filterGroups: FilterInput[][];
  sort?: SearchSort;
  query?: string;
  properties?: string[];
  limit: number;
  offset: number;
}

const NEEDS_VALUE: Operator[] = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];

export function parseSearchRequest(body: unknown, limits: SearchLimits): SearchRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationError('Invalid input JSON: the search request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  const groupsRaw = b['filterGroups'] ?? [];
  if (!Array.isArray(groupsRaw)) throw validationError('filterGroups must be an array.');
  if (groupsRaw.length > limits.maxGroups) {
    throw validationError(`Too many filter groups: ${groupsRaw.length}. The maximum is ${limits.maxGroups}.`, { context: { filterGroups: [String(groupsRaw.length)] } });
  }
  let total = 0;
  const filterGroups = groupsRaw.map((g, gi) => {
    const filters = g && typeof g === 'object' ? (g as Record<string, unknown>)['filters'] : undefined;
    if (!Array.isArray(filters)) throw validationError(`filterGroups[${gi}].filters must be an array.`);
    if (filters.length > limits.maxFiltersPerGroup) {
      throw validationError(`Too many filters in filterGroups[${gi}]: ${filters.length}. The maximum per group is ${limits.maxFiltersPerGroup}.`);
    }
    total += filters.length;
    return filters.map((f, fi) => parseFilter(f, `filterGroups[${gi}].filters[${fi}]`));
  });
  if (total > limits.maxFilters) throw validationError(`Too many filters: ${total}. The maximum across all groups is ${limits.maxFilters}.`);

  const sortsRaw = b['sorts'] ?? [];
  if (!Array.isArray(sortsRaw)) throw validationError('sorts must be an array.');
  if (sortsRaw.length > 1) throw validationError('Only one sort is allowed per search request.');
  const sort = sortsRaw.length === 1 ? parseSort(sortsRaw[0]) : undefined;

  const limitRaw = b['limit'] ?? 10;
  const limit = typeof limitRaw === 'string' ? Number(limitRaw) : limitRaw;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw validationError('limit must be a non-negative integer.');
  if (limit > limits.maxLimit) throw validationError(`limit must be at most ${limits.maxLimit}; got ${limit}.`);

  const afterRaw = b['after'];
  let offset = 0;
  if (afterRaw !== undefined && afterRaw !== null && afterRaw !== '') {
    const s = String(afterRaw);
    if (!/^\d+$/.test(s)) throw validationError(`after must be a paging cursor from paging.next.after; got "${s}".`);
    offset = Number(s);
  }
  if (offset >= limits.maxResults) {
    // The 10,000-result cap: HubSpot answers 400 when paging reaches it (HUBSPOT-FACTS.md, Search).
    throw validationError(`The search API returns at most ${limits.maxResults} results per query; after=${offset} is beyond that. Narrow the query (e.g. a timestamp filter) instead of paging further.`);
  }

  const query = b['query'];
  if (query !== undefined && query !== null && typeof query !== 'string') throw validationError('query must be a string.');
  const props = b['properties'];
  if (props !== undefined && props !== null && (!Array.isArray(props) || props.some((p) => typeof p !== 'string'))) {
    throw validationError('properties must be an array of strings.');
  }
  return {
    filterGroups,
    sort,
    query: typeof query === 'string' && query.trim() !== '' ? query : undefined,
    properties: Array.isArray(props) && props.length > 0 ? (props as string[]) : undefined,
    limit,
    offset,
  };
}

function parseFilter(raw: unknown, where: string): FilterInput {
  if (!raw || typeof raw !== 'object') throw validationError(`${where} must be an object.`);
  const f = raw as Record<string, unknown>;
  if (typeof f['propertyName'] !== 'string' || f['propertyName'] === '') throw validationError(`${where}.propertyName is required.`);
  const operator = String(f['operator'] ?? 'EQ').toUpperCase() as Operator;
  if (!OPERATORS.includes(operator)) throw validationError(`${where}.operator "${String(f['operator'])}" is not one of ${OPERATORS.join(', ')}.`);
  const asString = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const filter: FilterInput = { propertyName: f['propertyName'] as string, operator, value: asString(f['value']), highValue: asString(f['highValue']) };
  if (Array.isArray(f['values'])) filter.values = (f['values'] as unknown[]).map((v) => String(v));
  if (NEEDS_VALUE.includes(operator) && filter.value === undefined) throw validationError(`${where}: operator ${operator} requires "value".`);
  if (operator === 'BETWEEN' && filter.highValue === undefined) throw validationError(`${where}: operator BETWEEN requires "highValue".`);
  if ((operator === 'IN' || operator === 'NOT_IN') && !filter.values) throw validationError(`${where}: operator ${operator} requires "values".`);
  return filter;
}

/** A sort is `{propertyName, direction}` or a string (`"createdate"`, `"-createdate"` = descending). */
function parseSort(raw: unknown): SearchSort {
  if (typeof raw === 'string') {
    return raw.startsWith('-') ? { propertyName: raw.slice(1), descending: true } : { propertyName: raw, descending: false };
  }
  if (!raw || typeof raw !== 'object') throw validationError('sorts[0] must be an object with propertyName and direction.');
  const s = raw as Record<string, unknown>;
  if (typeof s['propertyName'] !== 'string') throw validationError('sorts[0].propertyName is required.');
  const direction = String(s['direction'] ?? 'ASCENDING').toUpperCase();
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING') throw validationError('sorts[0].direction must be ASCENDING or DESCENDING.');
  return { propertyName: s['propertyName'] as string, descending: direction === 'DESCENDING' };
}
