import { associationBatch, Origin, record, recordBatch } from './support/portal-generator';
import { createRun, MapperHarness, RunFixture, startMapperHarness } from './support/mapper-harness';

/**
 * A small portal: deals 1 (closedwon) and 2 (appointmentscheduled); company 10 on deal 1, company 20
 * on deal 2, company 30 on no deal; contacts 100 (company 10), 200 (company 20), 300 (company 30).
 */
async function deliverExantePortal(h: MapperHarness, o: Origin, order: 'records first' | 'associations first'): Promise<void> {
  const records = [
    recordBatch(o, 'deals', [record(1, { dealname: 'Won deal', dealstage: 'closedwon', pipeline: 'default', amount: '500' }), record(2, { dealname: 'Early deal', dealstage: 'appointmentscheduled', pipeline: 'default' })]),
    recordBatch(o, 'companies', [record(10, { name: 'Acme', domain: 'acme.io' }), record(20, { name: 'Beta', domain: 'beta.io' }), record(30, { name: 'Gamma', domain: 'gamma.io' })]),
    recordBatch(o, 'contacts', [record(100, { email: 'ann@acme.io', firstname: 'Ann' }), record(200, { email: 'bob@beta.io', firstname: 'Bob' }), record(300, { email: 'cy@gamma.io', firstname: 'Cy' })]),
  ];
  const associations = [
    associationBatch(o, 'deals', 'companies', [[1, 10], [2, 20]]),
    associationBatch(o, 'companies', 'contacts', [[10, 100], [20, 200], [30, 300]]),
  ];
  const messages = order === 'records first' ? [...records, ...associations] : [...associations, ...records.reverse()];
  for (const m of messages) {
    if ('records' in m) await h.records.handle(m);
    else await h.associations.handle(m);
  }
}

describe('Exante model (seed 000, issue 6 §4)', () => {
  let h: MapperHarness;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_exante_spec');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const ids = async (table: string, key: string, org: string) =>
    (await h.sql(`SELECT ${key} AS id FROM exante.${table} WHERE organization_uid = $1 ORDER BY 1`, [org])).map((r: any) => r.id);
  const catalog = async (org: string) =>
    (await h.sql(`SELECT object_type, external_id, display_name, portal_id FROM exante.external_object_catalog WHERE organization_uid = $1 ORDER BY 1, 2`, [org]));

  async function fullSync(dealStages?: string[], order: 'records first' | 'associations first' = 'records first'): Promise<RunFixture> {
    const run = await createRun(h, { mode: 'full', dealStages });
    await deliverExantePortal(h, run, order);
    return run;
  }

  it('full mode: deals in scope → Documents, their companies → Parties, those companies’ contacts → Contacts, linked', async () => {
    const run = await fullSync(['closedwon']);
    const org = run.organizationUid;
    expect(await ids('documents', 'deal_id', org)).toEqual(['1']);
    expect(await ids('parties', 'company_id', org)).toEqual(['10']);
    expect(await ids('contacts', 'contact_id', org)).toEqual(['100']);
    expect(await h.sql(`SELECT deal_id, company_id FROM exante.document_parties WHERE organization_uid = $1`, [org])).toEqual([{ deal_id: '1', company_id: '10' }]);
    expect(await h.sql(`SELECT company_id, contact_id FROM exante.party_contacts WHERE organization_uid = $1`, [org])).toEqual([{ company_id: '10', contact_id: '100' }]);
    expect(await h.sql(`SELECT title, amount::float8 AS amount, stage_id, last_run_id FROM exante.documents WHERE organization_uid = $1`, [org])).toEqual([
      { title: 'Won deal', amount: 500, stage_id: 'closedwon', last_run_id: run.runId },
    ]);
    // Stanna is independent of Exante's reach: every company with a domain is a client
    expect((await h.sql(`SELECT count(*)::int AS n FROM stanna.clients WHERE organization_uid = $1`, [org]))[0].n).toBe(3);
  });

  it('reaches the same entities whatever order the batches arrive in', async () => {
    const a = await fullSync(undefined, 'records first');
    const b = await fullSync(undefined, 'associations first');
    for (const [table, key] of [['documents', 'deal_id'], ['parties', 'company_id'], ['contacts', 'contact_id']]) {
      expect(await ids(table, key, b.organizationUid)).toEqual(await ids(table, key, a.organizationUid));
    }
    expect(await ids('parties', 'company_id', a.organizationUid)).toEqual(['10', '20']);
    expect(await ids('contacts', 'contact_id', a.organizationUid)).toEqual(['100', '200']);
    const links = (org: string) => h.sql(`SELECT deal_id, company_id FROM exante.document_parties WHERE organization_uid = $1 ORDER BY 1`, [org]);
    expect(await links(b.organizationUid)).toEqual(await links(a.organizationUid));
  });

  it('reaches the same entities when every batch is mapped at once (mirror rows stored before the mapping lock)', async () => {
    const serial = await fullSync(undefined, 'records first');
    for (let round = 0; round < 3; round++) {
      const run = await createRun(h, { mode: 'full' });
      const o: Origin = run;
      const records = [
        recordBatch(o, 'deals', [record(1, { dealname: 'Won deal', dealstage: 'closedwon', pipeline: 'default', amount: '500' }), record(2, { dealname: 'Early deal', dealstage: 'appointmentscheduled', pipeline: 'default' })]),
        recordBatch(o, 'companies', [record(10, { name: 'Acme', domain: 'acme.io' }), record(20, { name: 'Beta', domain: 'beta.io' }), record(30, { name: 'Gamma', domain: 'gamma.io' })]),
        recordBatch(o, 'contacts', [record(100, { email: 'ann@acme.io', firstname: 'Ann' }), record(200, { email: 'bob@beta.io', firstname: 'Bob' }), record(300, { email: 'cy@gamma.io', firstname: 'Cy' })]),
      ];
      const associations = [
        associationBatch(o, 'deals', 'companies', [[1, 10], [2, 20]]),
        associationBatch(o, 'companies', 'contacts', [[10, 100], [20, 200], [30, 300]]),
      ];
      await Promise.all([...records.map((b) => h.records.handle(b)), ...associations.map((b) => h.associations.handle(b))]);
      for (const [table, key] of [['documents', 'deal_id'], ['parties', 'company_id'], ['contacts', 'contact_id']]) {
        expect(await ids(table, key, run.organizationUid)).toEqual(await ids(table, key, serial.organizationUid));
      }
      const links = (org: string) => h.sql(`SELECT company_id, contact_id FROM exante.party_contacts WHERE organization_uid = $1 ORDER BY 1, 2`, [org]);
      expect(await links(run.organizationUid)).toEqual(await links(serial.organizationUid));
    }
  });

  it('catalog_only: catalog entries for every reached deal, company and contact — and no Documents, Parties or Contacts', async () => {
    const run = await createRun(h, { mode: 'catalog_only', dealStages: ['closedwon', 'appointmentscheduled'] });
    await deliverExantePortal(h, run, 'records first');
    const org = run.organizationUid;
    expect(await ids('documents', 'deal_id', org)).toEqual([]);
    expect(await ids('parties', 'company_id', org)).toEqual([]);
    expect(await ids('contacts', 'contact_id', org)).toEqual([]);
    expect(await h.sql(`SELECT count(*)::int AS n FROM exante.document_parties WHERE organization_uid = $1`, [org])).toEqual([{ n: 0 }]);
    expect(await catalog(org)).toEqual([
      { object_type: 'companies', external_id: '10', display_name: 'Acme', portal_id: run.portalId },
      { object_type: 'companies', external_id: '20', display_name: 'Beta', portal_id: run.portalId },
      { object_type: 'contacts', external_id: '100', display_name: 'Ann', portal_id: run.portalId },
      { object_type: 'contacts', external_id: '200', display_name: 'Bob', portal_id: run.portalId },
      { object_type: 'deals', external_id: '1', display_name: 'Won deal', portal_id: run.portalId },
      { object_type: 'deals', external_id: '2', display_name: 'Early deal', portal_id: run.portalId },
    ]);
    const [seen] = await h.sql(`SELECT first_seen_at, last_seen_at, last_run_id FROM exante.external_object_catalog WHERE organization_uid = $1 AND external_id = '1'`, [org]);
    expect(seen.last_run_id).toBe(run.runId);

    // a second catalog_only sync keeps first_seen and moves last_seen
    const again = await createRun(h, { organizationUid: org, portalId: run.portalId, mode: 'catalog_only' });
    await h.records.handle(recordBatch(again, 'deals', [record(1, { dealname: 'Won deal', dealstage: 'closedwon', pipeline: 'default', amount: '500' })]));
    const [later] = await h.sql(`SELECT first_seen_at, last_seen_at, last_run_id FROM exante.external_object_catalog WHERE organization_uid = $1 AND external_id = '1'`, [org]);
    expect(later.first_seen_at).toEqual(seen.first_seen_at);
    expect(later.last_seen_at.getTime()).toBeGreaterThan(seen.last_seen_at.getTime());
    expect(later.last_run_id).toBe(again.runId);
    expect(await ids('documents', 'deal_id', org)).toEqual([]);
  });

  it('keeps links current when only an association changes, and flags archived sources', async () => {
    const run = await fullSync();
    const o: Origin = { ...run, runId: null };
    const org = run.organizationUid;
    // company 30 gets associated with deal 1: it becomes a Party, its contact a Contact
    await h.associations.handle(associationBatch(o, 'deals', 'companies', [[1, 10], [1, 30]], { fromIds: ['1'] }));
    expect(await ids('parties', 'company_id', org)).toEqual(['10', '20', '30']);
    expect(await ids('contacts', 'contact_id', org)).toEqual(['100', '200', '300']);
    expect(await h.sql(`SELECT deal_id, company_id FROM exante.document_parties WHERE organization_uid = $1 ORDER BY 1, 2`, [org])).toEqual([
      { deal_id: '1', company_id: '10' },
      { deal_id: '1', company_id: '30' },
      { deal_id: '2', company_id: '20' },
    ]);
    await h.records.handle(recordBatch(o, 'deals', [{ ...record(2, { dealname: 'Early deal' }, '2024-07-01T00:00:00.000Z'), archived: true }]));
    expect(await h.sql(`SELECT deal_id, archived FROM exante.documents WHERE organization_uid = $1 ORDER BY 1`, [org])).toEqual([
      { deal_id: '1', archived: false },
      { deal_id: '2', archived: true },
    ]);
  });

  it('maps nothing into Exante for an org that never ran an Exante sync', async () => {
    const run = await createRun(h, { mode: null, kind: 'backfill' });
    await deliverExantePortal(h, run, 'records first');
    expect(await ids('documents', 'deal_id', run.organizationUid)).toEqual([]);
    expect(await catalog(run.organizationUid)).toEqual([]);
  });
});
