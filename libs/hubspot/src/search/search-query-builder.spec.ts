import { assertFilterBudget, buildSearchRequest } from './search-query-builder';
import { SearchQueryError } from './search-query-error';
import { DEFAULT_SEARCH_LIMITS, SearchFilter } from './search-types';

const f = (propertyName: string): SearchFilter => ({ propertyName, operator: 'EQ', value: 'x' });
const sort = { propertyName: 'createdate', direction: 'ASCENDING' as const };

describe('buildSearchRequest', () => {
  it('ANDs the sync’s own filters into every user group and sends exactly one sort', () => {
    const body = buildSearchRequest({
      systemFilters: [{ propertyName: 'createdate', operator: 'GTE', value: '0' }],
      userGroups: [[f('dealstage')], [f('pipeline')]],
      sort,
      properties: ['createdate', 'createdate', 'hs_object_id'],
      limit: 200,
    });
    expect(body.sorts).toEqual([sort]);
    expect(body.properties).toEqual(['createdate', 'hs_object_id']);
    expect(body.filterGroups).toEqual([
      { filters: [{ propertyName: 'createdate', operator: 'GTE', value: '0' }, f('dealstage')] },
      { filters: [{ propertyName: 'createdate', operator: 'GTE', value: '0' }, f('pipeline')] },
    ]);
  });

  it('refuses a body over 3,000 characters before any call', () => {
    const many = Array.from({ length: 200 }, (_, i) => `custom_property_number_${i}`);
    expect(() => buildSearchRequest({ systemFilters: [], sort, properties: many, limit: 10 })).toThrow(/over HubSpot's 3000/);
  });

  it('refuses page sizes over 200 and paging past the 10,000-result cap', () => {
    expect(() => buildSearchRequest({ systemFilters: [], sort, properties: [], limit: 201 })).toThrow(SearchQueryError);
    expect(() => buildSearchRequest({ systemFilters: [], sort, properties: [], limit: 200, after: '9800' })).not.toThrow();
    expect(() => buildSearchRequest({ systemFilters: [], sort, properties: [], limit: 200, after: '9900' })).toThrow(/10000-result cap/);
  });
});

describe('filter limits (stricter default 5 groups × 6, 18 total; configurable)', () => {
  it('counts the filters the sync adds itself and names the user filter that does not fit', () => {
    const user = [f('a'), f('b'), f('c'), f('d'), f('e')];
    expect(() => assertFilterBudget([user.slice(0, 4)], 2)).not.toThrow();
    try {
      assertFilterBudget([user], 2);
      throw new Error('expected a SearchQueryError');
    } catch (e) {
      expect(e).toBeInstanceOf(SearchQueryError);
      expect((e as SearchQueryError).field).toBe('e');
      expect((e as Error).message).toMatch(/at most 4 user filters/);
    }
  });

  it('enforces group and total limits, and the laxer 2024 limits when configured', () => {
    const groups = Array.from({ length: 6 }, () => [f('x')]);
    expect(() => assertFilterBudget(groups, 0)).toThrow(/6 filter groups/);
    const four = Array.from({ length: 4 }, () => [f('a'), f('b'), f('c'), f('d')]);
    expect(() => assertFilterBudget(four, 1)).toThrow(/20 filters in total/);
    const lax = { ...DEFAULT_SEARCH_LIMITS, maxFiltersPerGroup: 10, maxFiltersTotal: 25 };
    expect(() => assertFilterBudget(four, 1, lax)).not.toThrow();
  });
});
