import { associationBatch, Origin, record, recordBatch } from './support/portal-generator';
import { createRun, fetcherFinishes, fetcherStarts, MapperHarness, objectRun, RunFixture, startMapperHarness } from './support/mapper-harness';
import { GeneratedPortal, generateStannaPortal } from './support/stanna-portal';

describe('Stanna model on a generated portal (seed 002, issue 6 §3, §5, §6)', () => {
  let h: MapperHarness;
  let run: RunFixture;
  let portal: GeneratedPortal;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_stanna_spec');
    run = await createRun(h, { objectTypes: ['companies', 'contacts', 'deals', 'line_items', 'notes', 'meetings'] });
    portal = generateStannaPortal(run);
    await deliver(run, portal, 'fetcher order');
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function deliver(r: RunFixture, p: GeneratedPortal, order: 'fetcher order' | 'reversed'): Promise<void> {
    for (const s of p.reference.schemas) await h.reference.handleSchema(s);
    await h.reference.handlePipelines(p.reference.pipelines);
    await h.reference.handleOwners(p.reference.owners);
    for (const t of ['companies', 'contacts', 'deals', 'line_items', 'notes', 'meetings']) await fetcherStarts(h, r, t);
    const messages = order === 'fetcher order' ? [...p.records, ...p.associations] : [...[...p.associations].reverse(), ...[...p.records].reverse()];
    for (const m of messages) {
      if ('records' in m) await h.records.handle(m);
      else await h.associations.handle(m);
    }
    const batchesPerType = new Map<string, number>();
    for (const b of p.records) batchesPerType.set(b.objectType, (batchesPerType.get(b.objectType) ?? 0) + 1);
    for (const [t, n] of batchesPerType) await fetcherFinishes(h, r, t, n);
    await h.sweeper.settle();
  }

  const clientsOf = (org: string) =>
    h.sql(
      `SELECT company_id, name, domain, mrr::float8 AS mrr, mrr_source, currency, renewal_date::text AS renewal_date, csm_owner_id, csm_owner_name,
              lifecycle_stage, status, tags FROM stanna.clients WHERE organization_uid = $1 ORDER BY company_id`,
      [org],
    );

  it('maps companies to clients: domain, MRR from every source, renewal date, CSM owner name, status, tags', async () => {
    const clients = await clientsOf(run.organizationUid);
    expect(clients.map((c: any) => c.company_id).sort()).toEqual([...portal.expected.clients.keys()].sort());
    for (const c of clients) {
      const want = portal.expected.clients.get(c.company_id) as NonNullable<ReturnType<typeof portal.expected.clients.get>>;
      expect({ id: c.company_id, mrr: c.mrr, source: c.mrr_source, renewal: c.renewal_date, owner: c.csm_owner_name, status: c.status, domain: c.domain }).toEqual({
        id: c.company_id,
        mrr: want.mrr,
        source: want.mrrSource,
        renewal: want.renewal,
        owner: want.owner,
        status: want.status,
        domain: want.domain,
      });
    }
    // the explicit cases the acceptance names
    const byId = new Map(clients.map((c: any) => [c.company_id, c]));
    expect(byId.get('1001')).toMatchObject({ mrr: 100, mrr_source: 'property:annual_recurring_revenue/12', renewal_date: '2026-02-15', csm_owner_name: 'Dev Patel' });
    expect(byId.get('1002')).toMatchObject({ mrr: 100, mrr_source: 'property:hs_mrr', renewal_date: '2027-03-01' });
    expect(byId.get('1004')).toMatchObject({ mrr: 300, mrr_source: 'deals', domain: 'company4.com' });
    expect(byId.get('1001').tags).toEqual(['segment:enterprise']);
  });

  it('reports dirty records with reasons and counts them', async () => {
    const skipped = await h.sql(`SELECT object_type, object_id, rule FROM sync.skipped_records WHERE run_id = $1 AND rule <> 'dropped_field' ORDER BY 1, 2`, [run.runId]);
    const companies = new Map(skipped.filter((s: any) => s.object_type === 'companies').map((s: any) => [s.object_id, s.rule]));
    const contacts = new Map(skipped.filter((s: any) => s.object_type === 'contacts').map((s: any) => [s.object_id, s.rule]));
    expect(companies).toEqual(portal.expected.skippedCompanies);
    expect(contacts).toEqual(portal.expected.skippedContacts);
    const companiesRun = await objectRun(h, run.runId, 'companies');
    const total = portal.records.filter((b) => b.objectType === 'companies').reduce((n, b) => n + b.records.length, 0);
    expect(companiesRun).toMatchObject({ status: 'completed', total_skipped: companies.size, total_synced: total - companies.size, batches_committed: 3 });
    const contactsRun = await objectRun(h, run.runId, 'contacts');
    expect(contactsRun).toMatchObject({ status: 'completed', total_skipped: contacts.size });
  });

  it('maps contacts to stakeholders linked to their client (association, else the company property)', async () => {
    const rows = await h.sql(`SELECT contact_id, name, title, client_company_id, client_source FROM stanna.stakeholders WHERE organization_uid = $1`, [run.organizationUid]);
    expect(rows).toHaveLength(portal.expected.contacts.size);
    for (const r of rows) {
      const want = portal.expected.contacts.get(r.contact_id) as NonNullable<ReturnType<typeof portal.expected.contacts.get>>;
      expect([r.contact_id, r.name, r.client_company_id]).toEqual([r.contact_id, want.name, want.company]);
    }
    expect(rows.find((r: any) => r.contact_id === '29999')).toMatchObject({ client_company_id: '1002', client_source: 'company_property' });
    const engagement = await h.sql(
      `SELECT contact_id, activities_30d, activities_90d, engagement_level FROM stanna.stakeholders WHERE organization_uid = $1 AND contact_id IN ('20031', '20061') ORDER BY 1`,
      [run.organizationUid],
    );
    expect(engagement).toEqual([
      { contact_id: '20031', activities_30d: 0, activities_90d: 0, engagement_level: 'none' }, // its only meeting was a no-show
      { contact_id: '20061', activities_30d: 1, activities_90d: 1, engagement_level: 'medium' },
    ]);
  });

  it('maps deals with stage labels, probability, renewal kind and churn risk; activities; health scores with components', async () => {
    const deals = await h.sql(`SELECT deal_id, stage_label, probability::float8 AS p, deal_kind, churn_risk, mrr_contribution::float8 AS mrr, company_ids FROM stanna.deals WHERE organization_uid = $1 ORDER BY deal_id`, [run.organizationUid]);
    expect(deals.find((d: any) => d.deal_id === '9004')).toEqual({ deal_id: '9004', stage_label: 'Closed Won', p: 1, deal_kind: 'new_business', churn_risk: 'low', mrr: 300, company_ids: ['1004'] });
    expect(deals.find((d: any) => d.deal_id === '9900')).toMatchObject({ stage_label: 'Churned', deal_kind: 'renewal', churn_risk: 'high' });

    const note = await h.sql(`SELECT activity_type, client_company_id, company_ids, sentiment_score FROM stanna.activities WHERE organization_uid = $1 AND activity_id = '40002'`, [run.organizationUid]);
    expect(note).toEqual([{ activity_type: 'notes', client_company_id: '1002', company_ids: ['1002'], sentiment_score: expect.any(String) }]);
    expect(Number(note[0].sentiment_score)).toBeGreaterThan(0);

    const health = await h.sql(`SELECT company_id, score::float8 AS score, components FROM stanna.health_scores WHERE organization_uid = $1`, [run.organizationUid]);
    expect(health).toHaveLength(portal.expected.clients.size);
    const c2 = health.find((x: any) => x.company_id === '1002');
    const parts = Object.fromEntries(c2.components.map((c: any) => [c.name, c]));
    expect(parts['deals']).toMatchObject({ score: 0, detail: expect.objectContaining({ churn_risk: 'high' }) });
    expect(parts['sentiment'].score).toBeGreaterThan(50);
    expect(parts['recency'].detail.days_since_last_activity).toBe(2);
    const meetingsScore = (id: string) => health.find((x: any) => x.company_id === id).components.find((c: any) => c.name === 'meetings').score;
    expect(meetingsScore('1003')).toBe(0); // its only meeting was a no-show
    expect(meetingsScore('1006')).toBe(100);
  });

  it('converges to the same rows when every message arrives in reverse order', async () => {
    const other = await createRun(h, { objectTypes: ['companies', 'contacts', 'deals', 'line_items', 'notes', 'meetings'] });
    const mirrorPortal = generateStannaPortal(other);
    await deliver(other, mirrorPortal, 'reversed');
    expect(await clientsOf(other.organizationUid)).toEqual(await clientsOf(run.organizationUid));
    const stakeholders = (org: string) => h.sql(`SELECT contact_id, email, name, client_company_id, engagement_level FROM stanna.stakeholders WHERE organization_uid = $1 ORDER BY contact_id`, [org]);
    expect(await stakeholders(other.organizationUid)).toEqual(await stakeholders(run.organizationUid));
    const deals = (org: string) => h.sql(`SELECT deal_id, mrr_contribution, company_ids, churn_risk FROM stanna.deals WHERE organization_uid = $1 ORDER BY deal_id`, [org]);
    expect(await deals(other.organizationUid)).toEqual(await deals(run.organizationUid));
    const health = (org: string) => h.sql(`SELECT company_id, score FROM stanna.health_scores WHERE organization_uid = $1 ORDER BY company_id`, [org]);
    expect(await health(other.organizationUid)).toEqual(await health(run.organizationUid));
  });

  it('applies per-org overrides and property mappings by re-mapping from the mirror, without refetching', async () => {
    const org = run.organizationUid;
    await h.sql(`INSERT INTO stanna.settings (organization_uid, config) VALUES ($1, $2)`, [org, JSON.stringify({ orgCurrency: 'EUR', portalCurrency: 'USD', currencyRates: { USD: 0.5 } })]);
    await h.sql(`INSERT INTO stanna.client_status_map (organization_uid, lifecycle_stage, client_status) VALUES ($1, 'customer', 'live')`, [org]);
    await h.sql(
      `INSERT INTO sync.property_mappings (organization_uid, target_entity, target_field, source) VALUES
         ($1, 'stanna.client', 'name', $2), ($1, 'stanna.client', 'custom.segment_label', $3)`,
      [org, JSON.stringify({ concat: ['name', { literal: 'Inc.' }], separator: ' ' }), JSON.stringify({ lookup: 'segment', table: { enterprise: 'Enterprise' }, default: 'Other' })],
    );
    await h.sql(`INSERT INTO sync.remap_requests (organization_uid, target_entity, reason) VALUES ($1, 'stanna.client', 'mappings changed')`, [org]);
    const objectsBefore = await h.sql(`SELECT max(synced_at) AS t FROM hubspot.objects WHERE organization_uid = $1`, [org]);
    expect(await h.remap.drain()).toBe(1);

    const [c1] = await h.sql(`SELECT name, mrr::float8 AS mrr, currency, status, custom_fields FROM stanna.clients WHERE organization_uid = $1 AND company_id = '1001'`, [org]);
    expect(c1).toEqual({ name: 'Company 1 Inc.', mrr: 50, currency: 'EUR', status: 'prospect', custom_fields: { segment_label: 'Enterprise' } });
    const [c5] = await h.sql(`SELECT status FROM stanna.clients WHERE organization_uid = $1 AND company_id = '1005'`, [org]);
    expect(c5.status).toBe('live'); // company 5 is a customer
    expect(await h.sql(`SELECT max(synced_at) AS t FROM hubspot.objects WHERE organization_uid = $1`, [org])).toEqual(objectsBefore);
    expect(await h.sql(`SELECT finished_at IS NOT NULL AS done, error_message FROM sync.remap_requests WHERE organization_uid = $1`, [org])).toEqual([{ done: true, error_message: null }]);
  });

  it('keeps a client current when only its owner or an activity association changes', async () => {
    const o: Origin = { ...run, runId: null };
    await h.reference.handleOwners({ ...portal.reference.owners, fetchedAt: new Date().toISOString(), owners: [{ ...portal.reference.owners.owners[1], firstName: 'Devika', updatedAt: '2024-01-01T00:00:00.000Z' }] });
    const [c] = await h.sql(`SELECT csm_owner_name FROM stanna.clients WHERE organization_uid = $1 AND company_id = '1001'`, [run.organizationUid]);
    expect(c.csm_owner_name).toBe('Devika Patel');

    await h.records.handle(recordBatch(o, 'notes', [record('48888', { hs_timestamp: new Date().toISOString(), hs_note_body: 'Terrible outage, customer furious and threatening to cancel' })]));
    const [before] = await h.sql(`SELECT client_company_id FROM stanna.activities WHERE organization_uid = $1 AND activity_id = '48888'`, [run.organizationUid]);
    expect(before.client_company_id).toBeNull();
    await h.associations.handle(associationBatch(o, 'notes', 'companies', [['48888', '1003']]));
    const [after] = await h.sql(`SELECT client_company_id FROM stanna.activities WHERE organization_uid = $1 AND activity_id = '48888'`, [run.organizationUid]);
    expect(after.client_company_id).toBe('1003');
    const [health] = await h.sql(`SELECT components FROM stanna.health_scores WHERE organization_uid = $1 AND company_id = '1003'`, [run.organizationUid]);
    const sentiment = health.components.find((x: any) => x.name === 'sentiment');
    expect(sentiment.score).toBeLessThan(50);
  });

  it('re-maps deals when their pipelines change, and ignores an unchanged or older snapshot', async () => {
    const pipelines = portal.reference.pipelines;
    expect(await h.reference.handlePipelines({ ...pipelines, fetchedAt: new Date().toISOString() })).toBe('unchanged');
    const renamed = JSON.parse(JSON.stringify(pipelines));
    renamed.fetchedAt = new Date().toISOString();
    renamed.pipelines[0].stages.find((st: any) => st.id === 'closedwon').label = 'Won';
    expect(await h.reference.handlePipelines(renamed)).toBe('changed');
    expect(await h.reference.handlePipelines({ ...pipelines, fetchedAt: '2000-01-01T00:00:00.000Z' })).toBe('older');
    await h.remap.drain();
    const [deal] = await h.sql(`SELECT stage_label FROM stanna.deals WHERE organization_uid = $1 AND deal_id = '9004'`, [run.organizationUid]);
    expect(deal.stage_label).toBe('Won');
  });
});
