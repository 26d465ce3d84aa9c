import { compileValueTest, parseTime, queryMatcher } from './filter-semantics';
import { DEFAULT_SEARCH_LIMITS, parseSearchRequest } from './search-request';

describe('search filter semantics', () => {
  it('compares strings case-insensitively but enumerations exactly', () => {
    expect(compileValueTest({ propertyName: 'x', operator: 'EQ', value: 'ALICE' }, 'string')('alice')).toBe(true);
    expect(compileValueTest({ propertyName: 'x', operator: 'EQ', value: 'customer' }, 'enumeration')('CUSTOMER')).toBe(false);
  });

  it('IN on strings only matches lower-case values; NEQ/NOT_IN need a value', () => {
    expect(compileValueTest({ propertyName: 'x', operator: 'IN', values: ['a@x.com'] }, 'string')('A@X.com')).toBe(true);
    expect(compileValueTest({ propertyName: 'x', operator: 'IN', values: ['A@X.com'] }, 'string')('A@X.com')).toBe(false);
    expect(compileValueTest({ propertyName: 'x', operator: 'NEQ', value: 'a' }, 'string')(null)).toBe(false);
    expect(compileValueTest({ propertyName: 'x', operator: 'NOT_IN', values: ['a'] }, 'string')(null)).toBe(false);
  });

  it('matches tokens and * wildcards', () => {
    const t = (value: string) => compileValueTest({ propertyName: 'x', operator: 'CONTAINS_TOKEN', value }, 'string');
    expect(t('example.com')('jane@example.com')).toBe(true);
    expect(t('*@hubspot.com')('Jane@HubSpot.com')).toBe(true);
    expect(t('*@hubspot.com')('jane@example.com')).toBe(false);
    expect(t('exam')('jane@example.com')).toBe(false);
  });

  it('compares dates as epoch ms whether stored as ISO or epoch', () => {
    const gte = compileValueTest({ propertyName: 'x', operator: 'GTE', value: String(Date.parse('2024-01-01T00:00:00Z')) }, 'time');
    expect(gte('2024-01-01T00:00:00.000Z')).toBe(true);
    expect(gte('1703980800000')).toBe(false);
    expect(parseTime('not a date')).toBeNaN();
  });

  it('query matches token prefixes across searchable values', () => {
    expect(queryMatcher('ali exam')(['Alice', 'alice@example.com'])).toBe(true);
    expect(queryMatcher('bob')(['Alice', null])).toBe(false);
  });
});

describe('search request limits', () => {
  const f = { propertyName: 'a', operator: 'HAS_PROPERTY' };
  const groups = (n: number, per: number) => Array.from({ length: n }, () => ({ filters: Array(per).fill(f) }));
  it('accepts 5 groups, 6 per group and 18 total; refuses more', () => {
    expect(() => parseSearchRequest({ filterGroups: groups(3, 6) }, DEFAULT_SEARCH_LIMITS)).not.toThrow();
    expect(() => parseSearchRequest({ filterGroups: groups(6, 1) }, DEFAULT_SEARCH_LIMITS)).toThrow(/filter groups/);
    expect(() => parseSearchRequest({ filterGroups: groups(1, 7) }, DEFAULT_SEARCH_LIMITS)).toThrow(/per group/);
    expect(() => parseSearchRequest({ filterGroups: [...groups(3, 6), ...groups(1, 1)] }, DEFAULT_SEARCH_LIMITS)).toThrow(/18/);
  });

  it('refuses paging at or past 10,000 and limits above 200, accepts string sorts', () => {
    expect(() => parseSearchRequest({ after: '10000' }, DEFAULT_SEARCH_LIMITS)).toThrow(/10000/);
    expect(() => parseSearchRequest({ limit: 201 }, DEFAULT_SEARCH_LIMITS)).toThrow(/200/);
    expect(parseSearchRequest({ sorts: ['-createdate'] }, DEFAULT_SEARCH_LIMITS).sort).toEqual({ propertyName: 'createdate', descending: true });
    expect(parseSearchRequest({}, DEFAULT_SEARCH_LIMITS).limit).toBe(10);
  });
});
