import { SearchQueryError } from './search-query-error';
import { DEFAULT_SEARCH_LIMITS, SearchFilter, SearchLimits, SearchRequestBody, SearchSort } from './search-types';

export interface SearchQuery {
  /** Filters the fetcher adds itself (cursor, lookback, deal stages): ANDed into every group. */
  systemFilters: SearchFilter[];
  /** User filter groups, ORed; each is ANDed with the system filters. None → one group. */
  userGroups?: SearchFilter[][];
  sort: SearchSort;
  /** Search fetches ids and cursor properties only; full records come from batch read. */
  properties: string[];
  limit: number;
  /** Offset from `paging.next.after` (HubSpot's search `after` is an offset). */
  after?: string;
}

/**
 * Builds a Search API body and refuses, before any call, anything HubSpot would answer 400 to:
 * too many groups/filters (counting the fetcher's own), more than one sort, a page over 200, paging
 * past the 10,000-result cap, or a body over 3,000 characters.
 */
export function buildSearchRequest(query: SearchQuery, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): SearchRequestBody {
  const userGroups = (query.userGroups ?? []).filter((g) => g.length > 0);
  assertFilterBudget(userGroups, query.systemFilters.length, limits);
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > limits.maxPageSize) {
    throw new SearchQueryError('limit', `search page size must be 1..${limits.maxPageSize}, got ${query.limit}`);
  }
  if (query.after !== undefined) {
    const offset = Number(query.after);
    if (!Number.isInteger(offset) || offset < 0) throw new SearchQueryError('after', `search "after" must be a non-negative offset, got ${query.after}`);
    if (offset + query.limit > limits.maxResultsPerQuery) {
      throw new SearchQueryError('after', `paging to ${offset + query.limit} passes the ${limits.maxResultsPerQuery}-result cap; re-issue the query with a moved cursor`);
    }
  }
  const groups = userGroups.length ? userGroups.map((g) => [...query.systemFilters, ...g]) : [query.systemFilters];
  const body: SearchRequestBody = {
    filterGroups: groups.filter((g) => g.length > 0).map((filters) => ({ filters })),
    // HubSpot honours exactly one sort (HUBSPOT-FACTS "Search").
    sorts: [query.sort],
    properties: [...new Set(query.properties)],
    limit: query.limit,
  };
  if (query.after !== undefined) body.after = query.after;
  const chars = JSON.stringify(body).length;
  if (chars > limits.maxBodyChars) {
    throw new SearchQueryError('body', `search body is ${chars} characters, over HubSpot's ${limits.maxBodyChars}; use fewer properties or filters`);
  }
  return body;
}

/** Checks the filter counts alone (used to validate user criteria when a job is accepted). */
export function assertFilterBudget(userGroups: SearchFilter[][], systemFilterCount: number, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): void {
  const groups = userGroups.filter((g) => g.length > 0);
  const groupCount = Math.max(1, groups.length);
  if (groupCount > limits.maxFilterGroups) {
    throw new SearchQueryError('filterGroups', `${groupCount} filter groups exceed HubSpot's limit of ${limits.maxFilterGroups}`);
  }
  const perGroup = groups.length ? groups.map((g) => g.length + systemFilterCount) : [systemFilterCount];
  perGroup.forEach((count, i) => {
    if (count > limits.maxFiltersPerGroup) {
      const own = groups[i]?.length ?? 0;
      const offending = groups[i]?.[own - 1]?.propertyName ?? 'filters';
      throw new SearchQueryError(
        offending,
        `filter group ${i + 1} has ${own} filters plus ${systemFilterCount} the sync adds itself = ${count}, over HubSpot's ${limits.maxFiltersPerGroup} per group (at most ${Math.max(0, limits.maxFiltersPerGroup - systemFilterCount)} user filters)`,
      );
    }
  });
  const total = perGroup.reduce((a, b) => a + b, 0);
  if (total > limits.maxFiltersTotal) {
    throw new SearchQueryError('filterGroups', `${total} filters in total (including ${systemFilterCount} per group added by the sync) exceed HubSpot's ${limits.maxFiltersTotal}`);
  }
}
