import { allocateIdentifier, quoteIdent, quoteLiteral, truncateToBytes, utf8Bytes } from './sql-identifiers';
import { defaultDestinationSchema, destinationSchemaNameProblem } from './destination-schema';
import { baseViewName, planObjectViews } from './typed-view-layout';
import { createObjectViewSql } from './view-sql';

describe('identifiers', () => {
  it('quotes hostile names so they stay one identifier or literal', () => {
    expect(quoteIdent('x"; drop table y; --')).toBe('"x""; drop table y; --"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });

  it('truncates by UTF-8 bytes without splitting characters', () => {
    const name = 'é'.repeat(40); // 80 bytes
    const cut = truncateToBytes(name, 63);
    expect(utf8Bytes(cut)).toBe(62);
    expect(cut).toBe('é'.repeat(31));
  });

  it('allocates unique names within 63 bytes', () => {
    const taken = new Set<string>(['id']);
    expect(allocateIdentifier('amount', taken)).toBe('amount');
    const long = 'a'.repeat(70);
    const a = allocateIdentifier(long, taken);
    expect(utf8Bytes(a)).toBeLessThanOrEqual(63);
    taken.add(a);
    const b = allocateIdentifier(long.slice(0, 65) + 'zzzzz', taken);
    expect(b).not.toBe(a);
    expect(utf8Bytes(b)).toBeLessThanOrEqual(63);
    expect(allocateIdentifier('id', taken)).not.toBe('id');
  });
});

describe('destination schema names', () => {
  it('defaults to hubspot_<short org id>', () => {
    expect(defaultDestinationSchema('1B4E28BA-2FA1-11D2-883F-0016D3CCA427')).toBe('hubspot_1b4e28ba');
    expect(defaultDestinationSchema('1b4e28ba-2fa1-11d2-883f-0016d3cca427', 12)).toBe('hubspot_1b4e28ba2fa1');
  });

  it('rejects reserved and malformed names', () => {
    for (const n of ['public', 'hubspot', 'core', 'sync', 'integration', 'stanna', 'exante', 'pg_temp', 'information_schema']) {
      expect(destinationSchemaNameProblem(n)).toMatch(/reserved/);
    }
    expect(destinationSchemaNameProblem('Bad-Name')).toMatch(/must match/);
    expect(destinationSchemaNameProblem('a'.repeat(64))).toMatch(/63 bytes/);
    expect(destinationSchemaNameProblem('analytics_hubspot')).toBeNull();
  });
});

describe('planObjectViews', () => {
  const props = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${String(i).padStart(4, '0')}`, type: i % 2 ? 'number' : 'string' }));

  it('splits a 2,000-property object into numbered views with unique columns and a name map', () => {
    const plan = planObjectViews({ objectType: 'p123_widgets', baseName: 'widgets', properties: props(2000), takenViewNames: new Set(), maxPropertiesPerView: 900 });
    expect(plan.views.map((v) => v.name)).toEqual(['widgets', 'widgets_2', 'widgets_3']);
    expect(plan.views.map((v) => v.columns.length)).toEqual([900, 900, 200]);
    expect(plan.nameMap).toHaveLength(2000);
    expect(new Set(plan.nameMap.map((c) => c.column)).size).toBe(2000);
    expect(plan.nameMap.find((c) => c.property === 'p0001')).toEqual({ property: 'p0001', column: 'p0001', sqlType: 'numeric', view: 'widgets' });
  });

  it('renames columns colliding with system columns or exceeding 63 bytes, and skips archived properties', () => {
    const plan = planObjectViews({
      objectType: 'contacts',
      baseName: 'contacts',
      properties: [
        { name: 'id', type: 'string' },
        { name: 'x'.repeat(100), type: 'string' },
        { name: 'gone', type: 'string', archived: true },
      ],
      takenViewNames: new Set(['contacts']),
      maxPropertiesPerView: 1000,
    });
    expect(plan.views[0].name).not.toBe('contacts');
    const cols = plan.nameMap.map((c) => c.column);
    expect(cols).not.toContain('id');
    expect(cols.every((c) => utf8Bytes(c) <= 63)).toBe(true);
    expect(plan.nameMap.map((c) => c.property)).not.toContain('gone');
  });

  it('rejects a per-view width PostgreSQL cannot hold', () => {
    expect(() => planObjectViews({ objectType: 't', baseName: 't', properties: [], takenViewNames: new Set(), maxPropertiesPerView: 1598 })).toThrow(/maxPropertiesPerView/);
  });

  it('names custom object views readably', () => {
    expect(baseViewName('2-1234', 'p99_cars')).toBe('cars');
    expect(baseViewName('p99_boats')).toBe('boats');
    expect(baseViewName('deals')).toBe('deals');
  });

  it('renders view SQL with quoted identifiers and literals', () => {
    const sql = createObjectViewSql('hubspot_x', { name: 'v', part: 1, columns: [{ property: "a'b\"c", column: 'a\'b"c', sqlType: 'numeric' }] }, '00000000-0000-0000-0000-000000000001', 'deals');
    expect(sql).toContain(`hubspot.as_numeric(o.properties ->> 'a''b"c') AS "a'b""c"`);
    expect(sql).toContain(`o.object_type = 'deals'`);
  });
});
