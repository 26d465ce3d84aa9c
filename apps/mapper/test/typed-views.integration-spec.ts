import { randomUUID } from 'node:crypto';
import { associationBatch, Origin, record, recordBatch, schemaMessage } from './support/portal-generator';
import { createRun, MapperHarness, startMapperHarness } from './support/mapper-harness';

const HOSTILE = 'x"; drop table y; --';
const LONG = `a_property_name_that_is_much_longer_than_postgres_allows_${'z'.repeat(20)}`;

describe('typed views per org (issue 6 §2)', () => {
  let h: MapperHarness;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_views_spec', { viewMaxColumns: 900 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function columns(schema: string, view: string): Promise<Record<string, string>> {
    const rows = await h.sql(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, [schema, view]);
    return Object.fromEntries(rows.map((r: any) => [r.column_name, r.data_type]));
  }

  async function destination(org: string): Promise<string> {
    const [row] = await h.sql(`SELECT schema_name FROM hubspot.destinations WHERE organization_uid = $1`, [org]);
    return row.schema_name;
  }

  it('gives every property a column of the SQL type its HubSpot type implies, shows only the org’s live rows, and survives glitches and hostile names', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    const other: Origin = { ...(await createRun(h)), runId: null };
    await h.reference.handleSchema(
      schemaMessage(o, 'deals', [
        { name: 'amount', type: 'number' },
        { name: 'closedate', type: 'datetime' },
        { name: 'renewal_day', type: 'date' },
        { name: 'is_vip', type: 'bool' },
        { name: 'dealstage', type: 'enumeration' },
        { name: 'dealname', type: 'string' },
        { name: HOSTILE, type: 'string' },
        { name: 'id', type: 'string' },
        { name: LONG, type: 'number' },
      ]),
    );
    await h.records.handle(
      recordBatch(o, 'deals', [
        record(1, { amount: '1250.50', closedate: '2024-05-01T10:00:00.000Z', renewal_day: '2025-01-31', is_vip: 'true', dealstage: 'closedwon', dealname: "O'Brien", [HOSTILE]: 'boom', id: 'shadow', [LONG]: '7' }),
        record(2, { amount: 'not a number', closedate: '1714557600000', renewal_day: 'someday', is_vip: 'maybe' }),
        { ...record(3, { dealname: 'gone' }), archived: true },
      ]),
    );
    // glitches that slipped in before the schema was known are stored raw; the view must still answer
    await h.sql(`UPDATE hubspot.objects SET properties = properties || '{"amount":"12abc","closedate":"2024-13-45T00:00:00Z"}' WHERE organization_uid = $1 AND id = '2'`, [o.organizationUid]);
    await h.records.handle(recordBatch(other, 'deals', [record(1, { amount: '1' })]));

    const schema = await destination(o.organizationUid);
    expect(schema).toBe(`hubspot_${o.organizationUid.replace(/-/g, '').slice(0, 8)}`);
    const nameMap = await h.sql(`SELECT property, view_name, column_name, sql_type FROM hubspot.view_columns WHERE organization_uid = $1 ORDER BY property`, [o.organizationUid]);
    const col = (p: string) => nameMap.find((m: any) => m.property === p).column_name as string;
    expect(col(HOSTILE)).toBe(HOSTILE);
    expect(col('id')).not.toBe('id');
    expect(Buffer.byteLength(col(LONG))).toBeLessThanOrEqual(63);

    const types = await columns(schema, 'deals');
    expect(types).toMatchObject({
      id: 'text',
      created_at: 'timestamp with time zone',
      updated_at: 'timestamp with time zone',
      amount: 'numeric',
      closedate: 'timestamp with time zone',
      renewal_day: 'date',
      is_vip: 'boolean',
      dealstage: 'text',
      dealname: 'text',
      [HOSTILE]: 'text',
      [col(LONG)]: 'numeric',
    });

    const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const rows = await h.sql(
      `SELECT id, amount, closedate, renewal_day::text AS renewal_day, is_vip, dealname, ${q(HOSTILE)} AS hostile, ${q(col('id'))} AS shadow, ${q(col(LONG))} AS long
         FROM ${q(schema)}.deals ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: '1', amount: '1250.50', closedate: new Date('2024-05-01T10:00:00.000Z'), renewal_day: '2025-01-31', is_vip: true, dealname: "O'Brien", hostile: 'boom', shadow: 'shadow', long: '7' },
      { id: '2', amount: null, closedate: null, renewal_day: null, is_vip: null, dealname: null, hostile: null, shadow: null, long: null },
    ]);
    expect((await h.sql(`SELECT sum(amount)::text AS s FROM ${q(schema)}.deals`))[0].s).toBe('1250.50');
    // the hostile name was data, not SQL: the org's mirror rows are all still there
    expect(await h.sql(`SELECT count(*)::int AS n FROM hubspot.objects WHERE organization_uid = $1`, [o.organizationUid])).toEqual([{ n: 3 }]);
  });

  it('splits a 2,000-property object into numbered views joined on id, with a name map', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    const props = Array.from({ length: 2000 }, (_, i) => ({ name: `prop_${String(i).padStart(4, '0')}`, type: i % 3 === 0 ? 'number' : i % 3 === 2 ? 'datetime' : 'string' }));
    await h.reference.handleSchema(schemaMessage(o, '2-9000', props, { isCustom: true, fullyQualifiedName: 'p123_widgets', objectTypeId: '2-9000' }));
    const values: Record<string, string> = {};
    props.forEach((p, i) => (values[p.name] = p.type === 'number' ? String(i) : p.type === 'datetime' ? '2024-01-02T03:04:05.000Z' : `v${i}`));
    await h.records.handle(recordBatch(o, '2-9000', [record(42, values), record(43, { prop_1999: 'last' })]));

    const schema = await destination(o.organizationUid);
    const views = await h.sql(`SELECT view_name, part FROM hubspot.views WHERE organization_uid = $1 AND kind = 'object' ORDER BY part`, [o.organizationUid]);
    expect(views).toEqual([
      { view_name: 'widgets', part: 1 },
      { view_name: 'widgets_2', part: 2 },
      { view_name: 'widgets_3', part: 3 },
    ]);
    expect(Object.keys(await columns(schema, 'widgets'))).toHaveLength(903);
    expect((await columns(schema, 'widgets_3'))['prop_1999']).toBe('text');
    const mapped = await h.sql(`SELECT count(*)::int AS n FROM hubspot.view_columns WHERE organization_uid = $1 AND object_type = '2-9000'`, [o.organizationUid]);
    expect(mapped).toEqual([{ n: 2000 }]);
    const [joined] = await h.sql(
      `SELECT a.prop_0000, a.prop_0001, b.prop_0900, c.prop_1998, c.prop_1999
         FROM "${schema}".widgets a JOIN "${schema}".widgets_2 b USING (id) JOIN "${schema}".widgets_3 c USING (id) WHERE a.id = '42'`,
    );
    expect(joined).toEqual({ prop_0000: '0', prop_0001: 'v1', prop_0900: '900', prop_1998: '1998', prop_1999: 'v1999' });
    expect((await columns(schema, 'widgets'))['prop_0002']).toBe('timestamp with time zone');
  });

  it('regenerates views when the schema changes, and builds association views', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    await h.reference.handleSchema(schemaMessage(o, 'contacts', [{ name: 'email', type: 'string' }, { name: 'score', type: 'string' }], { introspectedAt: '2024-01-01T00:00:00Z' }));
    await h.records.handle(recordBatch(o, 'contacts', [record(1, { email: 'a@b.io', score: '5', age: '40' })]));
    const schema = await destination(o.organizationUid);
    expect((await columns(schema, 'contacts'))['score']).toBe('text');
    expect(await h.reference.handleSchema(schemaMessage(o, 'contacts', [{ name: 'email', type: 'string' }, { name: 'score', type: 'string' }], { introspectedAt: '2024-01-02T00:00:00Z' }))).toEqual({ viewsRegenerated: false });

    await h.reference.handleSchema(
      schemaMessage(o, 'contacts', [{ name: 'email', type: 'string' }, { name: 'score', type: 'number' }, { name: 'age', type: 'number' }], { introspectedAt: '2024-01-03T00:00:00Z' }),
    );
    expect(await columns(schema, 'contacts')).toMatchObject({ score: 'numeric', age: 'numeric' });
    expect(await h.sql(`SELECT score, age FROM "${schema}".contacts`)).toEqual([{ score: '5', age: '40' }]);
    // an older introspection arriving late changes nothing
    expect(await h.reference.handleSchema(schemaMessage(o, 'contacts', [{ name: 'email', type: 'string' }], { introspectedAt: '2023-12-01T00:00:00Z' }))).toEqual({ viewsRegenerated: false });
    expect(Object.keys(await columns(schema, 'contacts'))).toContain('age');

    await h.associations.handle(associationBatch(o, 'contacts', 'companies', [[1, 7]], { label: 'Primary', typeId: 1 }));
    expect(await h.sql(`SELECT from_id, to_id, type_id, label, category FROM "${schema}".associations_contacts_companies`)).toEqual([
      { from_id: '1', to_id: '7', type_id: 1, label: 'Primary', category: 'HUBSPOT_DEFINED' },
    ]);
  });

  it('uses the elt sync’s destination schema and moves the views when it changes', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    const wanted = `analytics_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await h.sql(`INSERT INTO sync.elt_syncs (organization_uid, connection_id, destination_schema_name) VALUES ($1, $2, $3)`, [o.organizationUid, o.connectionId, wanted]);
    await h.reference.handleSchema(schemaMessage(o, 'companies', [{ name: 'name', type: 'string' }]));
    await h.records.handle(recordBatch(o, 'companies', [record(1, { name: 'Acme', domain: 'acme.io' })]));
    expect(await h.sql(`SELECT name FROM "${wanted}".companies`)).toEqual([{ name: 'Acme' }]);

    const moved = `${wanted}_v2`;
    await h.sql(`UPDATE sync.elt_syncs SET destination_schema_name = $2 WHERE organization_uid = $1`, [o.organizationUid, moved]);
    await h.views.regenerateAll(o.organizationUid);
    expect(await h.sql(`SELECT name FROM "${moved}".companies`)).toEqual([{ name: 'Acme' }]);
    expect(await h.sql(`SELECT count(*)::int AS n FROM information_schema.views WHERE table_schema = $1`, [wanted])).toEqual([{ n: 0 }]);

    // a reserved name (if one ever got in) is refused: the views stay where they are
    await h.sql(`UPDATE sync.elt_syncs SET destination_schema_name = 'public' WHERE organization_uid = $1`, [o.organizationUid]);
    await h.views.regenerateAll(o.organizationUid);
    expect(await destination(o.organizationUid)).toBe(moved);
    expect(await h.sql(`SELECT count(*)::int AS n FROM information_schema.views WHERE table_schema = 'public'`)).toEqual([{ n: 0 }]);
  });
});
