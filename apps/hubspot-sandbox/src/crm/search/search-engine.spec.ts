import fc from 'fast-check';
import { Portal } from '../portal';
import { executeSearch } from './search-engine';
import { DEFAULT_SEARCH_LIMITS, parseSearchRequest } from './search-request';

/**
 * The engine's fast paths (ordered index walks, O(log n) counts, narrowest-range planning) must
 * give exactly what a naive scan gives: every live record tested against every filter, sorted.
 */
describe('executeSearch', () => {
  const T0 = Date.parse('2024-01-01T00:00:00Z');

  function buildPortal(records: Array<{ created: number; updated: number; employees: number | null; city: string | null; archived: boolean }>) {
    const portal = new Portal({ portalId: 1 });
    const info = portal.requireType('companies');
    const rows = records.map((r) => {
      const row = info.table.insert({ numberofemployees: r.employees === null ? null : String(r.employees), city: r.city }, T0 + r.created * 1000, T0 + r.updated * 1000);
      return { row, ...r };
    });
    for (const r of rows) if (r.archived) info.table.archive(r.row, T0 + 9_999_000);
    // Archiving moves updatedAt; the reference reads the table's own timestamps.
    return { portal, info, rows };
  }

  const recordArb = fc.record({
    created: fc.integer({ min: 0, max: 50 }),
    updated: fc.integer({ min: 0, max: 50 }),
    employees: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    city: fc.option(fc.constantFrom('Oslo', 'oslo', 'Berlin', 'Lund'), { nil: null }),
    archived: fc.boolean(),
  });

  const filterArb = fc.oneof(
    fc.record({ propertyName: fc.constantFrom('createdate', 'hs_lastmodifieddate'), operator: fc.constantFrom('GT', 'GTE', 'LT', 'LTE', 'EQ'), value: fc.integer({ min: 0, max: 50 }).map((s) => String(T0 + s * 1000)) }),
    fc.record({ propertyName: fc.constant('numberofemployees'), operator: fc.constantFrom('GT', 'LTE', 'EQ', 'NEQ', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'), value: fc.integer({ min: 0, max: 20 }).map(String) }),
    fc.record({ propertyName: fc.constant('city'), operator: fc.constantFrom('EQ', 'NEQ'), value: fc.constantFrom('OSLO', 'berlin') }),
  );

  const sortArb = fc.option(fc.record({ propertyName: fc.constantFrom('createdate', 'hs_lastmodifieddate', 'hs_object_id', 'numberofemployees'), direction: fc.constantFrom('ASCENDING', 'DESCENDING') }), { nil: undefined });

  it('matches a naive reference for random data, filters, sorts and pages', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), fc.array(fc.array(filterArb, { maxLength: 3 }), { maxLength: 3 }), sortArb, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 30 }), (records, groups, sort, limit, offset) => {
        const { info } = buildPortal(records);
        const body = { filterGroups: groups.map((filters) => ({ filters })), sorts: sort ? [sort] : [], limit, after: String(offset) };
        const req = parseSearchRequest(body, DEFAULT_SEARCH_LIMITS);
        const got = executeSearch(info, req, Date.now(), 10_000);

        const t = info.table;
        const num = (v: string | null) => (v === null ? NaN : Number(v));
        const valueOf = (row: number, name: string): number | string | null => {
          if (name === 'createdate') return t.createdAt[row];
          if (name === 'hs_lastmodifieddate') return t.updatedAt[row];
          if (name === 'hs_object_id') return t.ids[row];
          if (name === 'numberofemployees') { const n = num(t.value(row, name)); return Number.isNaN(n) ? null : n; }
          return t.value(row, name);
        };
        const test = (row: number, f: { propertyName: string; operator: string; value: string }) => {
          const v = valueOf(row, f.propertyName);
          if (f.operator === 'HAS_PROPERTY') return v !== null;
          if (f.operator === 'NOT_HAS_PROPERTY') return v === null;
          if (v === null) return false;
          if (typeof v === 'string') {
            const a = v.toLowerCase();
            const b = f.value.toLowerCase();
            return f.operator === 'EQ' ? a === b : a !== b;
          }
          const x = Number(f.value);
          return { GT: v > x, GTE: v >= x, LT: v < x, LTE: v <= x, EQ: v === x, NEQ: v !== x }[f.operator as 'GT'];
        };
        const live = Array.from({ length: t.size }, (_, r) => r).filter((r) => t.archivedAt[r] === 0);
        const matched = live.filter((r) => groups.length === 0 || groups.some((g) => g.every((f) => test(r, f))));
        const sortName = sort?.propertyName ?? 'createdate';
        const desc = sort?.direction === 'DESCENDING';
        matched.sort((a, b) => {
          const ka = valueOf(a, sortName);
          const kb = valueOf(b, sortName);
          const tie = desc ? b - a : a - b;
          if (ka === null || kb === null) return ka === kb ? tie : ka === null ? 1 : -1;
          if (ka !== kb) return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
          return tie;
        });
        expect(got.total).toBe(matched.length);
        expect(got.rows).toEqual(matched.slice(offset, offset + limit));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps answering correctly after updates leave stale index entries', () => {
    const { info, rows } = buildPortal(Array.from({ length: 20 }, (_, i) => ({ created: i, updated: i, employees: i, city: 'Oslo', archived: false })));
    for (const r of rows.slice(0, 10)) info.table.update(r.row, { numberofemployees: String(100 + r.row) }, T0 + 100_000 + r.row);
    const req = parseSearchRequest({ filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(T0 + 100_000) }] }], sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }], limit: 100 }, DEFAULT_SEARCH_LIMITS);
    const res = executeSearch(info, req, Date.now(), 10_000);
    expect(res.total).toBe(10);
    expect(res.rows).toEqual(rows.slice(0, 10).map((r) => r.row));
  });

  it('hides a lagging write from search but keeps the old version visible', () => {
    const { info, rows } = buildPortal([{ created: 1, updated: 1, employees: 5, city: 'Oslo', archived: false }]);
    info.table.markPending(rows[0].row, Date.now() + 60_000, true);
    info.table.update(rows[0].row, { city: 'Lund' }, T0 + 2000);
    const byCity = (city: string) => executeSearch(info, parseSearchRequest({ filterGroups: [{ filters: [{ propertyName: 'city', operator: 'EQ', value: city }] }] }, DEFAULT_SEARCH_LIMITS), Date.now(), 10_000);
    expect(byCity('oslo').total).toBe(1);
    expect(byCity('lund').total).toBe(0);
    info.table.settlePending(Date.now() + 120_000);
    expect(byCity('lund').total).toBe(1);
  });
});
