import fc from 'fast-check';
import { advanceCursor, compareIds, cursorFilters, cursorSort, CursorWalk, initialCursor, maxId, parseTimestamp, SearchCursor } from './search-cursor';
import { buildSearchRequest } from './search-query-builder';
import { SearchRequestBody } from './search-types';

interface Row {
  id: string;
  ts: number;
}

/**
 * A tiny Search API: filters on the walked property and hs_object_id, one sort, `limit`; rows with
 * equal sort values come back in an arbitrary (shuffled) order, as HubSpot gives no tie order.
 */
function searchEngine(rows: Row[], seed = 1) {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const queries: SearchRequestBody[] = [];
  return {
    queries,
    search(body: SearchRequestBody): Row[] {
      queries.push(body);
      const filters = body.filterGroups[0].filters;
      const matches = rows.filter((r) =>
        filters.every((f) => {
          const actual = f.propertyName === 'hs_object_id' ? BigInt(r.id) : BigInt(r.ts);
          const v = BigInt(f.value as string);
          switch (f.operator) {
            case 'GTE': return actual >= v;
            case 'GT': return actual > v;
            case 'LTE': return actual <= v;
            case 'EQ': return actual === v;
            default: throw new Error(`unexpected operator ${f.operator}`);
          }
        }),
      );
      const byId = body.sorts[0].propertyName === 'hs_object_id';
      const keyed = matches.map((r) => ({ r, tiebreak: rand() }));
      keyed.sort((a, b) => (byId ? compareIds(a.r.id, b.r.id) : a.r.ts - b.r.ts || a.tiebreak - b.tiebreak));
      return keyed.slice(0, body.limit).map((k) => k.r);
    },
  };
}

function walk(rows: Row[], pageSize: number, walkSpec: CursorWalk = { property: 'createdate' }, seed = 1) {
  const engine = searchEngine(rows, seed);
  const seen = new Set<string>();
  let cursor: SearchCursor | null = initialCursor();
  let guard = 0;
  while (cursor) {
    if (++guard > 100_000) throw new Error('walk does not terminate');
    const body = buildSearchRequest({ systemFilters: cursorFilters(cursor, walkSpec), sort: cursorSort(cursor, walkSpec), properties: ['createdate'], limit: pageSize });
    const page = engine.search(body);
    page.forEach((r) => seen.add(r.id));
    cursor = advanceCursor(cursor, page.map((r) => ({ id: r.id, value: new Date(r.ts).toISOString() })), pageSize);
  }
  return { seen, queries: engine.queries };
}

describe('search cursor walk', () => {
  it('passes a portal where 25,000 records share one create date (tie-break on hs_object_id)', () => {
    const t = Date.parse('2024-06-01T12:00:00.000Z');
    const rows: Row[] = [];
    for (let i = 1; i <= 500; i++) rows.push({ id: String(i), ts: t - 1000 * i });
    for (let i = 501; i <= 25_500; i++) rows.push({ id: String(i), ts: t });
    for (let i = 25_501; i <= 26_000; i++) rows.push({ id: String(i), ts: t + (i - 25_500) });
    const { seen, queries } = walk(rows, 200);
    expect(seen.size).toBe(rows.length);
    const tieQueries = queries.filter((q) => q.sorts[0].propertyName === 'hs_object_id');
    expect(tieQueries.length).toBeGreaterThanOrEqual(125);
    expect(tieQueries[0].filterGroups[0].filters).toEqual([
      { propertyName: 'createdate', operator: 'EQ', value: String(t) },
      { propertyName: 'hs_object_id', operator: 'GT', value: '0' },
    ]);
    // After the tie, the walk resumes strictly after t.
    const resumed = queries[queries.indexOf(tieQueries[tieQueries.length - 1]) + 1];
    expect(resumed.filterGroups[0].filters[0]).toEqual({ propertyName: 'createdate', operator: 'GT', value: String(t) });
    // No query ever pages: each is re-issued from the cursor long before the 10,000-result cap.
    expect(queries.every((q) => q.after === undefined)).toBe(true);
    expect(queries.length).toBeLessThan(26_000 / 200 + 20);
  });

  it('visits every record for any data and page size, and terminates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 0, maxLength: 150 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        (timestamps, pageSize, seed) => {
          const rows = timestamps.map((ts, i) => ({ id: String(1000 + i * 7), ts }));
          const { seen } = walk(rows, pageSize, { property: 'createdate' }, seed);
          expect(seen.size).toBe(rows.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('respects an inclusive upper bound (lagging sweeps) and never reads past it', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: String(i + 1), ts: i % 10 }));
    const { seen, queries } = walk(rows, 4, { property: 'hs_lastmodifieddate', upTo: 5 });
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(rows.filter((r) => r.ts <= 5).map((r) => r.id));
    expect(queries[0].filterGroups[0].filters).toContainEqual({ propertyName: 'hs_lastmodifieddate', operator: 'LTE', value: '5' });
  });

  it('moves on a mixed page to its highest value and on a single-value page to the tie walk', () => {
    expect(advanceCursor(initialCursor(), [{ id: '1', value: '10' }, { id: '2', value: '20' }], 2)).toEqual({ mode: 'range', from: 20, inclusive: true });
    expect(advanceCursor(initialCursor(), [{ id: '9', value: '20' }, { id: '2', value: '20' }], 2)).toEqual({ mode: 'tie', at: 20, afterId: '0' });
    expect(advanceCursor({ mode: 'tie', at: 20, afterId: '0' }, [{ id: '9', value: '20' }, { id: '12', value: '20' }], 2)).toEqual({ mode: 'tie', at: 20, afterId: '12' });
    expect(advanceCursor({ mode: 'tie', at: 20, afterId: '12' }, [{ id: '13', value: '20' }], 2)).toEqual({ mode: 'range', from: 20, inclusive: false });
    expect(advanceCursor(initialCursor(), [{ id: '1', value: '10' }], 2)).toBeNull();
  });

  it('parses ISO and epoch-ms timestamps and compares ids as numbers', () => {
    expect(parseTimestamp('2024-01-01T00:00:00.000Z')).toBe(1704067200000);
    expect(parseTimestamp('1704067200000')).toBe(1704067200000);
    expect(parseTimestamp('not a date')).toBeNull();
    expect(maxId(['9', '10', '2'])).toBe('10');
    expect(compareIds('18446744073709551617', '18446744073709551616')).toBe(1);
  });
});
