/** Search API request shapes (SDK `PublicObjectSearchRequest`, `Filter`, `FilterOperatorEnum`). */
export type SearchOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export interface SearchFilter {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequestBody {
  filterGroups: { filters: SearchFilter[] }[];
  sorts: SearchSort[];
  properties: string[];
  limit: number;
  after?: string;
}

/**
 * HubSpot's search limits. Sources disagree on the filter limits (2026 doc: 5 groups × 6 filters,
 * 18 in total; Aug 2024 changelog: 5 × 10, 25 in total): the stricter is the default and each is
 * configurable. Body ≤ 3,000 characters, one sort, page ≤ 200, 10,000 results per query
 * (HUBSPOT-FACTS "Search").
 */
export interface SearchLimits {
  maxFilterGroups: number;
  maxFiltersPerGroup: number;
  maxFiltersTotal: number;
  maxBodyChars: number;
  maxPageSize: number;
  maxResultsPerQuery: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFiltersTotal: 18,
  maxBodyChars: 3000,
  maxPageSize: 200,
  maxResultsPerQuery: 10_000,
};
