import { HubspotRecordV1 } from '@hubsync/contracts';
import { associationBatch, COMPANY_PROPERTIES, Origin, record, recordBatch, schemaMessage } from './support/portal-generator';
import { createRun, MapperHarness, startMapperHarness } from './support/mapper-harness';

describe('mapper mirror: bulk, idempotent, last-modified-wins (issue 6 §1)', () => {
  let h: MapperHarness;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_mirror_spec');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const company = (id: number, version: number, updatedAt: string): HubspotRecordV1 =>
    record(id, { name: `Company ${id} v${version}`, domain: `c${id}.example.com`, annual_recurring_revenue: String(1200 * version), note: `v${version}` }, updatedAt);

  async function snapshot(org: string) {
    const objects = await h.sql(
      `SELECT object_type, id, properties, created_at, updated_at, archived, archived_at FROM hubspot.objects WHERE organization_uid = $1 ORDER BY object_type, id`,
      [org],
    );
    const clients = await h.sql(`SELECT company_id, name, domain, mrr, mrr_source FROM stanna.clients WHERE organization_uid = $1 ORDER BY company_id`, [org]);
    const associations = await h.sql(`SELECT from_type, to_type, from_id, to_id, type_id, label FROM hubspot.associations WHERE organization_uid = $1 ORDER BY 1, 2, 3, 4`, [org]);
    return { objects, clients, associations };
  }

  it('leaves the same rows whether batches arrive in order, out of order or twice', async () => {
    const v1 = Array.from({ length: 30 }, (_, i) => company(i + 1, 1, '2024-06-01T00:00:00.000Z'));
    const v2 = Array.from({ length: 30 }, (_, i) => company(i + 1, 2, '2024-06-02T00:00:00.000Z'));
    const v3 = [company(5, 3, '2024-06-03T00:00:00.000Z'), { ...company(6, 3, '2024-06-03T00:00:00.000Z'), archived: true, archivedAt: '2024-06-03T00:00:00.000Z' }];

    const inOrder = await createRun(h);
    const o1: Origin = { ...inOrder, runId: null };
    for (const batch of [v1, v2, v3]) await h.records.handle(recordBatch(o1, 'companies', batch));

    const shuffled = await createRun(h);
    const o2: Origin = { ...shuffled, runId: null };
    const b1 = recordBatch(o2, 'companies', v1);
    const b2 = recordBatch(o2, 'companies', v2);
    const b3 = recordBatch(o2, 'companies', v3);
    for (const batch of [b3, b2, b1, b2, b3, b1]) await h.records.handle(batch);
    // the same records again under new batch ids (an overlapping sweep)
    await h.records.handle(recordBatch(o2, 'companies', v1));

    const a = await snapshot(inOrder.organizationUid);
    const b = await snapshot(shuffled.organizationUid);
    expect(a.objects).toHaveLength(30);
    expect(b).toEqual(a);
    const five = a.objects.find((o: any) => o.id === '5');
    expect(five.properties).toMatchObject({ name: 'Company 5 v3', note: 'v3' });
    const six = a.objects.find((o: any) => o.id === '6');
    expect([six.archived, six.properties.name]).toEqual([true, 'Company 6 v3']);
    expect(a.clients.map((c: any) => c.company_id)).not.toContain('6'); // archived → no client
    expect(a.clients.find((c: any) => c.company_id === '7')).toMatchObject({ name: 'Company 7 v2', mrr: '200.00', mrr_source: 'property:annual_recurring_revenue/12' });
  });

  it('merges properties of partial fetches and keeps property history', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    await h.records.handle(
      recordBatch(o, 'deals', [
        record(1, { dealname: 'A', dealstage: 'appointmentscheduled' }, '2024-06-01T00:00:00.000Z', {
          propertiesWithHistory: { dealstage: [{ value: 'appointmentscheduled', timestamp: '2024-05-01T00:00:00.000Z' }] },
        }),
      ]),
    );
    await h.records.handle(
      recordBatch(o, 'deals', [
        record(1, { amount: '100' }, '2024-06-01T00:00:00.000Z'),
        record(1, { dealstage: 'contractsent' }, '2024-06-02T00:00:00.000Z', {
          propertiesWithHistory: { dealstage: [{ value: 'contractsent', timestamp: '2024-06-02T00:00:00.000Z' }, { value: 'appointmentscheduled', timestamp: '2024-05-01T00:00:00.000Z' }] },
        }),
      ]),
    );
    const [row] = await h.sql(`SELECT properties, properties_with_history, updated_at FROM hubspot.objects WHERE organization_uid = $1 AND id = '1'`, [o.organizationUid]);
    expect(row.properties).toEqual({ dealname: 'A', dealstage: 'contractsent' }); // the older duplicate in the batch lost
    expect(row.properties_with_history.dealstage).toHaveLength(2);
    expect(row.updated_at.toISOString()).toBe('2024-06-02T00:00:00.000Z');
  });

  it('coerces type glitches when unambiguous, else drops the value and records it — never fails the batch', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    await h.reference.handleSchema(schemaMessage(o, 'companies', COMPANY_PROPERTIES));
    const glitches = [
      record(1, { name: 'Glitchy', domain: 'glitchy.io', annual_recurring_revenue: 'lots', contract_end_date: '1735603200000' as string }),
      { ...record(2, { name: 'Numbers', domain: 'numbers.io' }), properties: { name: 'Numbers', domain: 'numbers.io', mrr: 250 as unknown as string, 'bad\u0000key': 'x\uD800y' } },
      { id: '', properties: {}, createdAt: 'x', updatedAt: 'y', archived: false } as HubspotRecordV1,
      record(4, { name: 'No time' }, 'not a timestamp'),
    ];
    const result = await h.records.handle(recordBatch(o, 'companies', glitches));
    expect(result).toMatchObject({ duplicate: false, stored: 2 });
    const rows = await h.sql(`SELECT id, properties FROM hubspot.objects WHERE organization_uid = $1 ORDER BY id`, [o.organizationUid]);
    expect(rows).toEqual([
      { id: '1', properties: { name: 'Glitchy', domain: 'glitchy.io', annual_recurring_revenue: null, contract_end_date: '2024-12-31' } },
      { id: '2', properties: { name: 'Numbers', domain: 'numbers.io', mrr: '250', badkey: 'x\uFFFDy' } },
    ]);
    const skipped = await h.sql(`SELECT object_id, rule, detail FROM sync.skipped_records WHERE organization_uid = $1 ORDER BY object_id, rule`, [o.organizationUid]);
    expect(skipped).toEqual([
      { object_id: '#2', rule: 'invalid_record', detail: 'record 2 has no id' },
      { object_id: '1', rule: 'dropped_field', detail: 'annual_recurring_revenue: expected a number, got "lots"' },
      { object_id: '4', rule: 'invalid_record', detail: 'updatedAt "not a timestamp" is not a timestamp' },
    ]);
    const clients = await h.sql(`SELECT company_id, mrr, renewal_date::text FROM stanna.clients WHERE organization_uid = $1 ORDER BY company_id`, [o.organizationUid]);
    expect(clients).toEqual([
      { company_id: '1', mrr: null, renewal_date: '2024-12-31' },
      { company_id: '2', mrr: '250.00', renewal_date: null },
    ]);
  });

  it('uses a constant number of SQL statements per batch, whatever its size', async () => {
    const run = await createRun(h);
    let next = 1;
    const round = async (size: number): Promise<number[]> => {
      const companies = Array.from({ length: size }, () => {
        const id = next++;
        return record(id, { name: `C${id}`, domain: `c${id}.example.org`, mrr: '10' });
      });
      const deals = companies.map((c) => record(Number(c.id) + 100000, { dealname: `D${c.id}`, amount: '10', dealstage: 'closedwon' }));
      const contacts = companies.map((c) => record(Number(c.id) + 200000, { email: `p${c.id}@c${c.id}.example.org`, firstname: 'P' }));
      const counted = async (work: () => Promise<unknown>) => {
        let statements = 0;
        const stop = h.db.onStatement(() => statements++);
        try {
          await work();
        } finally {
          stop();
        }
        return statements;
      };
      return [
        await counted(() => h.records.handle(recordBatch(run, 'companies', companies))),
        await counted(() => h.records.handle(recordBatch(run, 'deals', deals))),
        await counted(() => h.records.handle(recordBatch(run, 'contacts', contacts))),
        await counted(() => h.associations.handle(associationBatch(run, 'deals', 'companies', deals.map((d, i) => [d.id, companies[i].id])))),
        await counted(() => h.associations.handle(associationBatch(run, 'companies', 'contacts', companies.map((c, i) => [c.id, contacts[i].id])))),
      ];
    };
    await round(2); // first association batch of a pair also creates its view (one-time DDL)
    const small = await round(5);
    const medium = await round(50);
    const large = await round(200);
    expect(small.every((n) => n >= 3 && n < 60)).toBe(true);
    expect(medium).toEqual(small);
    expect(large).toEqual(small);
  });

  it('replaces association sets per from-id, keeps labels, and ignores a redelivered batch', async () => {
    const run = await createRun(h);
    const o: Origin = { ...run, runId: null };
    const first = associationBatch(o, 'contacts', 'companies', [[1, 10], [1, 11], [2, 10]], { label: 'Primary' });
    await h.associations.handle(first);
    const second = associationBatch(o, 'contacts', 'companies', [[1, 12]], { fromIds: ['1', '3'] });
    await h.associations.handle(second);
    expect(await h.associations.handle(first)).toMatchObject({ duplicate: true });
    const rows = await h.sql(`SELECT from_id, to_id, label, category, type_id FROM hubspot.associations WHERE organization_uid = $1 ORDER BY 1, 2`, [o.organizationUid]);
    expect(rows).toEqual([
      { from_id: '1', to_id: '12', label: null, category: 'HUBSPOT_DEFINED', type_id: 1 },
      { from_id: '2', to_id: '10', label: 'Primary', category: 'HUBSPOT_DEFINED', type_id: 1 },
    ]);
    // an emptied set (a from-object gone) deletes its rows; the sweep marker keeps what it was not told about
    await h.associations.handle(associationBatch(o, 'contacts', 'companies', [], { fromIds: ['2'], sweepComplete: true, sweepId: 'assoc-sweep-2' }));
    expect(await h.sql(`SELECT from_id, to_id FROM hubspot.associations WHERE organization_uid = $1`, [o.organizationUid])).toEqual([{ from_id: '1', to_id: '12' }]);
    // a late batch of the older sweep, after a newer sweep completed, is stale
    await h.associations.handle(associationBatch(o, 'contacts', 'companies', [], { sweepComplete: true, sweepId: 'assoc-sweep-3' }));
    const late = await h.associations.handle(associationBatch(o, 'contacts', 'companies', [[2, 99]], { sweepId: 'assoc-sweep-2' }));
    expect(late).toMatchObject({ stale: true });
    expect(await h.sql(`SELECT count(*)::int AS n FROM hubspot.associations WHERE organization_uid = $1 AND to_id = '99'`, [o.organizationUid])).toEqual([{ n: 0 }]);
  });
});
