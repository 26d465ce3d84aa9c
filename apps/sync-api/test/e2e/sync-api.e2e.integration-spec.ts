import { DataSource } from 'typeorm';
import { createDataSource } from '@hubsync/persistence';
import { startStack, Stack } from '@hubsync/test-stack';
import { SandboxAdminClient } from '@hubsync/testing';
import {
  call,
  connectThroughOAuth,
  createTenant,
  CrmRecord,
  poll,
  postSignedWebhook,
  SandboxCrm,
  Tenant,
  waitForExanteStatus,
  waitForRun,
} from './support/e2e-helpers';

/**
 * Issue 7's acceptance through HTTP against the whole stack: auth-gateway, sync-api, fetcher and
 * mapper each as its own process from built JavaScript, real PostgreSQL and NATS, the sandbox.
 * One stack for the file (startup is expensive); the tests run in order and build on each other.
 * Organization A (portal A) goes through the Exante syncs, the webhook and the ELT sync lifecycle;
 * organization B (portal B) gets a Stanna backfill with a lookback and is what A's key must not see.
 * Expected numbers come from the sandbox (admin truth and its CRM API), never from our database.
 */
jest.setTimeout(300_000);

const SYNC_TIMEOUT_MS = 240_000;
const DAY_MS = 86_400_000;
/** History ends 3 days ago, so nothing was modified inside the fetcher's incremental lag window. */
const ANCHOR = new Date(Date.now() - 3 * DAY_MS).toISOString();
const CRM_SCOPES = ['crm.objects.deals.read', 'crm.objects.companies.read', 'crm.objects.contacts.read'];

describe('sync-api end to end (whole stack)', () => {
  let stack: Stack;
  let sandbox: SandboxAdminClient;
  let db: DataSource;
  let syncApi: string;
  let authGateway: string;
  let orgA: Tenant;
  let orgB: Tenant;
  let portalA: number;
  let portalB: number;
  let crmA: SandboxCrm;
  let crmB: SandboxCrm;
  let connectionA: { id: string; portal_id: string; status: string };
  let connectionB: { id: string; portal_id: string; status: string };
  let dealsA: CrmRecord[];

  const count = async (sql: string, params: unknown[]): Promise<number> => Number((await db.query(sql, params))[0].n);

  beforeAll(async () => {
    stack = await startStack({
      sandbox: true,
      env: { LOG_LEVEL: 'warn' },
      // Stages are asked for right after connecting: give the first pipelines fetch time.
      appEnv: { 'sync-api': { STAGES_WAIT_MS: '20000' } },
    });
    if (!stack.sandbox) throw new Error('the stack has no sandbox');
    sandbox = stack.sandbox.admin;
    syncApi = stack.urls['sync-api'];
    authGateway = stack.urls['auth-gateway'];
    db = createDataSource({ databaseUrl: stack.databaseUrl, poolSize: 2, applicationName: 'sync-api-e2e' });
    await db.initialize();

    portalA = (await sandbox.createPortal({ timeZone: 'Europe/Copenhagen', currency: 'EUR' })).portalId;
    portalB = (await sandbox.createPortal({ timeZone: 'UTC', currency: 'USD' })).portalId;
    await sandbox.seed(portalA, { seed: 71, sizes: { companies: 40, contacts: 120, deals: 70 }, dealPipelines: 1, owners: 3, dirtyRate: 0, historyDays: 365, anchor: ANCHOR });
    // Four years of history: a 2-year lookback must leave roughly half of it out.
    await sandbox.seed(portalB, { seed: 72, sizes: { companies: 40, contacts: 80, deals: 40 }, dealPipelines: 0, owners: 2, dirtyRate: 0, historyDays: 1460, anchor: ANCHOR });
    crmA = new SandboxCrm(stack.sandbox.url, (await sandbox.createPrivateAppToken(portalA, CRM_SCOPES)).token);
    crmB = new SandboxCrm(stack.sandbox.url, (await sandbox.createPrivateAppToken(portalB, CRM_SCOPES)).token);
    dealsA = await crmA.all('deals', ['dealstage', 'dealname']);

    orgA = await createTenant(stack.databaseUrl, 'org-a');
    orgB = await createTenant(stack.databaseUrl, 'org-b');
  });

  afterAll(async () => {
    await db?.destroy().catch(() => undefined);
    await stack?.stop();
  });

  /** Ground truth of an Exante sync over `stages`: the deals in them, their companies, those companies' contacts. */
  async function exanteTruth(stages: string[]) {
    const deals = new Set(dealsA.filter((d) => stages.includes(d.properties['dealstage'] ?? '')).map((d) => d.id));
    const dealCompanyPairs = (await sandbox.associationsTruth(portalA, 'deals', 'companies')).pairs ?? [];
    const companies = new Set(dealCompanyPairs.filter((p) => deals.has(p.fromId)).map((p) => p.toId));
    const companyContactPairs = (await sandbox.associationsTruth(portalA, 'companies', 'contacts')).pairs ?? [];
    const contacts = new Set(companyContactPairs.filter((p) => companies.has(p.fromId)).map((p) => p.toId));
    const links = new Set(dealCompanyPairs.filter((p) => deals.has(p.fromId)).map((p) => `${p.fromId}:${p.toId}`));
    return { deals, companies, contacts, links };
  }

  async function catalogIds(objectType: string): Promise<string[]> {
    const rows: { external_id: string }[] = await db.query(
      `SELECT external_id FROM exante.external_object_catalog WHERE organization_uid = $1 AND object_type = $2 AND NOT archived ORDER BY external_id`,
      [orgA.organizationUid, objectType],
    );
    return rows.map((r) => r.external_id);
  }

  let stagesCatalog: string[];
  let stagesFull: string[];

  it('connects both organizations through the real OAuth flow (sandbox auto-approve)', async () => {
    connectionA = await connectThroughOAuth(authGateway, orgA.apiKey, portalA);
    connectionB = await connectThroughOAuth(authGateway, orgB.apiKey, portalB);
    expect(connectionA).toMatchObject({ portal_id: String(portalA), status: 'active' });
    expect(connectionB).toMatchObject({ portal_id: String(portalB), status: 'active' });

    const status = await call(syncApi, orgA.apiKey, 'GET', '/api/integrations/hubspot/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ organization_uid: orgA.organizationUid, connected: true, connection_id: connectionA.id, portal_id: String(portalA), status: 'active' });
  });

  it('GET /sync/stages answers the sandbox portal\'s deal pipelines and stages', async () => {
    const truth = await crmA.dealPipelines();
    expect(truth.length).toBe(2);
    const answer = await poll(
      'the stages endpoint',
      async () => {
        const r = await call(syncApi, orgA.apiKey, 'GET', '/api/integrations/hubspot/sync/stages');
        if (r.status === 503) return undefined; // pipelines fetch still under way: retry, as the API says
        return r;
      },
      120_000,
    );
    expect(answer.status).toBe(200);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...answer.body.pipelines].sort(byId)).toEqual(
      truth
        .map((p) => ({ id: p.id, label: p.label, stages: [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder).map((s) => ({ id: s.id, label: s.label, display_order: s.displayOrder })) }))
        .sort(byId),
    );
    for (const pipeline of answer.body.pipelines) {
      const orders = pipeline.stages.map((s: { display_order: number }) => s.display_order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }

    // Pick stages that hold deals: two for the catalog_only run, three others for the full run.
    const populated = truth.flatMap((p) => p.stages.map((s) => s.id)).filter((id) => dealsA.some((d) => d.properties['dealstage'] === id));
    expect(populated.length).toBeGreaterThanOrEqual(5);
    stagesCatalog = populated.slice(0, 2);
    stagesFull = populated.slice(2, 5);

    const unknown = await call(syncApi, orgA.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stages: ['no-such-stage'] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain(populated[0]);
    const badMode = await call(syncApi, orgA.apiKey, 'POST', '/api/integrations/hubspot/sync', { mode: 'everything' });
    expect(badMode.status).toBe(400);
  });

  it('a catalog_only sync with deal_stages catalogs exactly the deal-reachable records and creates no Exante entities', async () => {
    const truth = await exanteTruth(stagesCatalog);
    expect(truth.deals.size).toBeGreaterThan(0);
    expect(truth.companies.size).toBeGreaterThan(0);
    expect(truth.contacts.size).toBeGreaterThan(0);

    const started = await call(syncApi, orgA.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stages: stagesCatalog, mode: 'catalog_only' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ organization_uid: orgA.organizationUid, mode: 'catalog_only', deal_stages: stagesCatalog, status: 'queued' });

    const status = await waitForExanteStatus(syncApi, orgA.apiKey, ['deals', 'companies', 'contacts'], SYNC_TIMEOUT_MS);
    expect(status['deals']).toMatchObject({ status: 'completed', total_synced: truth.deals.size });
    expect(status['companies']).toMatchObject({ status: 'completed', total_synced: truth.companies.size });
    expect(status['contacts']).toMatchObject({ status: 'completed', total_synced: truth.contacts.size });

    expect(await catalogIds('deals')).toEqual([...truth.deals].sort());
    expect(await catalogIds('companies')).toEqual([...truth.companies].sort());
    expect(await catalogIds('contacts')).toEqual([...truth.contacts].sort());
    for (const table of ['documents', 'parties', 'contacts']) {
      expect(await count(`SELECT count(*) AS n FROM exante.${table} WHERE organization_uid = $1`, [orgA.organizationUid])).toBe(0);
    }
  });

  it('a full sync: of two simultaneous requests exactly one starts (the other gets sync_in_progress); status completes with the sandbox counts', async () => {
    const truth = await exanteTruth(stagesFull);
    expect(truth.deals.size).toBeGreaterThan(0);

    const body = { deal_stages: stagesFull, mode: 'full' };
    const answers = await Promise.all([0, 1].map(() => call(syncApi, orgA.apiKey, 'POST', '/api/integrations/hubspot/sync', body)));
    const accepted = answers.filter((a) => a.status === 202);
    const skipped = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(1);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].body).toMatchObject({ skipped: true, reason: 'sync_in_progress' });
    expect(accepted[0].body).toMatchObject({ mode: 'full', deal_stages: stagesFull });

    const status = await waitForExanteStatus(syncApi, orgA.apiKey, ['deals', 'companies', 'contacts'], SYNC_TIMEOUT_MS);
    expect(status).toMatchObject({
      organization_uid: orgA.organizationUid,
      deals: { status: 'completed', total_synced: truth.deals.size },
      companies: { status: 'completed', total_synced: truth.companies.size },
      contacts: { status: 'completed', total_synced: truth.contacts.size },
    });

    const ids = async (table: string, key: string) =>
      ((await db.query(`SELECT ${key} AS id FROM exante.${table} WHERE organization_uid = $1 AND NOT archived ORDER BY ${key}`, [orgA.organizationUid])) as { id: string }[]).map((r) => r.id);
    expect(await ids('documents', 'deal_id')).toEqual([...truth.deals].sort());
    expect(await ids('parties', 'company_id')).toEqual([...truth.companies].sort());
    expect(await ids('contacts', 'contact_id')).toEqual([...truth.contacts].sort());
    const links: { k: string }[] = await db.query(`SELECT deal_id || ':' || company_id AS k FROM exante.document_parties WHERE organization_uid = $1`, [orgA.organizationUid]);
    expect(links.map((l) => l.k).sort()).toEqual([...truth.links].sort());
    // Full mode catalogs too: the catalog now holds both runs' records.
    const catalogTruth = await exanteTruth([...stagesCatalog, ...stagesFull]);
    expect(await catalogIds('deals')).toEqual([...catalogTruth.deals].sort());
  });

  it('a signed webhook makes the change visible in PostgreSQL; bad signatures are refused; its replay an hour later is ignored', async () => {
    const deal = dealsA.find((d) => stagesFull.includes(d.properties['dealstage'] ?? ''));
    if (!deal) throw new Error('no deal in the full sync stages');
    const renamed = `E2E renamed ${Date.now()}`;
    await sandbox.mutate(portalA, 'deals', { update: [{ id: deal.id, properties: { dealname: renamed } }], immediate: true });
    const eventId = 700_000_001;
    const event = (attemptNumber: number) => ({
      eventId,
      subscriptionId: 42,
      portalId: portalA,
      appId: 1,
      occurredAt: Date.now(),
      subscriptionType: 'deal.propertyChange',
      attemptNumber,
      objectId: Number(deal.id),
      propertyName: 'dealname',
      propertyValue: renamed,
      changeSource: 'CRM',
    });
    const webhookJobs = () => count(`SELECT count(*) AS n FROM sync.jobs WHERE organization_uid = $1 AND kind = 'fetch_by_ids'`, [orgA.organizationUid]);
    const secret = stack.hubspotApp.clientSecret;

    const forged = await postSignedWebhook(syncApi, secret, [event(0)], { secret: 'not-the-client-secret' });
    expect(forged.status).toBe(401);
    const stale = await postSignedWebhook(syncApi, secret, [event(0)], { timestamp: Date.now() - 6 * 60_000 });
    expect(stale.status).toBe(401);
    expect(await webhookJobs()).toBe(0);

    const delivered = await postSignedWebhook(syncApi, secret, [event(0)]);
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ received: 1, duplicates: 0, queued_jobs: 1, unknown_portals: [] });

    await poll(
      'the renamed deal in the mirror',
      async () => {
        const rows: { name: string }[] = await db.query(`SELECT properties->>'dealname' AS name FROM hubspot.objects WHERE organization_uid = $1 AND object_type = 'deals' AND id = $2`, [
          orgA.organizationUid,
          deal.id,
        ]);
        return rows[0]?.name === renamed ? true : undefined;
      },
      120_000,
      1_000,
    );
    const documents: { title: string }[] = await poll(
      'the renamed Document',
      async () => {
        const rows: { title: string }[] = await db.query(`SELECT title FROM exante.documents WHERE organization_uid = $1 AND deal_id = $2`, [orgA.organizationUid, deal.id]);
        return rows[0]?.title === renamed ? rows : undefined;
      },
      60_000,
      1_000,
    );
    expect(documents[0].title).toBe(renamed);
    const jobsAfterDelivery = await webhookJobs();
    expect(jobsAfterDelivery).toBe(1);

    // HubSpot retries for hours: make the recorded event an hour old, then deliver it again (a retry).
    await db.query(`UPDATE sync.webhook_events SET received_at = received_at - interval '1 hour' WHERE organization_uid = $1 AND event_id = $2`, [orgA.organizationUid, String(eventId)]);
    const replay = await postSignedWebhook(syncApi, secret, [event(1)]);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ received: 1, duplicates: 1, queued_jobs: 0 });
    expect(await webhookJobs()).toBe(jobsAfterDelivery);
  });

  it('a backfill with a lookback brings only the records created inside it', async () => {
    const types = ['companies', 'contacts', 'deals'];
    const started = await call(syncApi, orgB.apiKey, 'POST', '/api/integrations/hubspot/backfill', { lookback: '2y', object_types: types });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ organization_uid: orgB.organizationUid, lookback: '2y', object_types: types });
    const createdAfter = Date.parse(started.body.created_after);
    expect(Math.abs(Date.now() - 2 * 365.25 * DAY_MS - createdAfter)).toBeLessThan(3 * DAY_MS);

    const again = await call(syncApi, orgB.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ skipped: true, reason: 'sync_in_progress' });

    const run = await waitForRun(syncApi, orgB.apiKey, started.body.run_id, SYNC_TIMEOUT_MS);
    expect(run.status).toBe('completed');
    for (const type of types) {
      const all = await crmB.all(type, ['createdate']);
      const inside = all.filter((r) => Date.parse(r.createdAt) >= createdAfter).map((r) => r.id).sort();
      // The seed spans four years: the lookback must have left some out, and kept some.
      expect(inside.length).toBeGreaterThan(0);
      expect(inside.length).toBeLessThan(all.length);
      const mirrored: { id: string }[] = await db.query(`SELECT id FROM hubspot.objects WHERE organization_uid = $1 AND object_type = $2 AND NOT archived ORDER BY id`, [orgB.organizationUid, type]);
      expect(mirrored.map((r) => r.id).sort()).toEqual(inside);
      expect(run.objects[type]).toMatchObject({ status: 'completed', total_synced: inside.length });
    }
  });

  it('elt_syncs lifecycle: create, read, update, streams, request_run, request_full_refresh, disable/enable, delete', async () => {
    const badCron = await call(syncApi, orgA.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA.id, destination_schema_name: 'e2e_org_a', sync_interval: 'every minute' });
    expect(badCron.status).toBe(400);
    const reserved = await call(syncApi, orgA.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA.id, destination_schema_name: 'hubspot', sync_interval: '0 3 1 1 *' });
    expect(reserved.status).toBe(400);

    const created = await call(syncApi, orgA.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA.id, destination_schema_name: 'e2e_org_a', sync_interval: '0 3 1 1 *' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organization_uid: orgA.organizationUid, connection_id: connectionA.id, destination_schema_name: 'e2e_org_a', sync_interval: '0 3 1 1 *', status: 'active' });
    const id = created.body.id as string;

    const list = await call(syncApi, orgA.apiKey, 'GET', '/elt_syncs');
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await call(syncApi, orgA.apiKey, 'GET', `/elt_syncs/${id}`)).body).toMatchObject({ id, destination_schema_name: 'e2e_org_a' });

    const updated = await call(syncApi, orgA.apiKey, 'POST', `/elt_syncs/${id}`, { sync_interval: '0 3 1 1 1-5', time_zone: 'Europe/Copenhagen' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sync_interval: '0 3 1 1 1-5', time_zone: 'Europe/Copenhagen' });

    const available = await call(syncApi, orgA.apiKey, 'GET', `/elt_syncs/${id}/available_source_streams`);
    expect(available.status).toBe(200);
    expect(available.body.data.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['companies', 'contacts', 'deals']));
    const unknownStream = await call(syncApi, orgA.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'no_such_stream' }] });
    expect(unknownStream.status).toBe(400);

    const added = await call(syncApi, orgA.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'companies' }] });
    expect(added.status).toBe(200);
    const stream = added.body.source_streams.find((s: { name: string }) => s.name === 'companies');
    expect(stream).toBeDefined();
    if (added.body.initial_load_run_id) {
      expect((await waitForRun(syncApi, orgA.apiKey, added.body.initial_load_run_id, SYNC_TIMEOUT_MS)).status).toBe('completed');
    }

    const companiesTruth = await sandbox.truth(portalA, 'companies', { records: true });
    const refreshes = await Promise.all([0, 1].map(() => call(syncApi, orgA.apiKey, 'POST', `/elt_streams/${stream.id}/request_full_refresh`)));
    const refresh = refreshes.find((r) => r.status === 202);
    expect(refresh?.body).toMatchObject({ id: stream.id, name: 'companies', status: 'queued' });
    expect(refreshes.find((r) => r.status === 200)?.body).toMatchObject({ skipped: true, reason: 'full_refresh_in_progress', run_id: refresh?.body.run_id });
    const run = await waitForRun(syncApi, orgA.apiKey, refresh?.body.run_id, SYNC_TIMEOUT_MS);
    expect(run.status).toBe('completed');
    expect(run.objects['companies']).toMatchObject({ status: 'completed', total_synced: companiesTruth.live });
    const mirrored: { id: string }[] = await db.query(`SELECT id FROM hubspot.objects WHERE organization_uid = $1 AND object_type = 'companies' AND NOT archived ORDER BY id`, [orgA.organizationUid]);
    expect(mirrored.map((r) => r.id).sort()).toEqual((companiesTruth.records ?? []).filter((r) => !r.archived).map((r) => r.id).sort());
    const status = await call(syncApi, orgA.apiKey, 'GET', `/elt_syncs/${id}/status`);
    expect(status.status).toBe(200);
    expect(JSON.stringify(status.body)).toContain(refresh?.body.run_id);

    const runNow = await call(syncApi, orgA.apiKey, 'POST', `/elt_streams/${stream.id}/request_run`);
    expect(runNow.status).toBe(202);
    expect(runNow.body.job_ids).toHaveLength(2);

    expect((await call(syncApi, orgA.apiKey, 'POST', `/elt_syncs/${id}/disable`)).body).toMatchObject({ status: 'paused' });
    expect((await call(syncApi, orgA.apiKey, 'POST', `/elt_streams/${stream.id}/request_full_refresh`)).status).toBe(409);
    expect((await call(syncApi, orgA.apiKey, 'POST', `/elt_syncs/${id}/enable`)).body).toMatchObject({ status: 'active' });

    expect((await call(syncApi, orgA.apiKey, 'DELETE', `/elt_syncs/${id}`)).status).toBe(204);
    expect((await call(syncApi, orgA.apiKey, 'GET', `/elt_syncs/${id}`)).status).toBe(404);
    expect((await call(syncApi, orgA.apiKey, 'POST', `/elt_streams/${stream.id}/request_run`)).status).toBe(404);
  });

  it("a key of organization A gets 404 on every organization-B resource it names", async () => {
    const eltB = await call(syncApi, orgB.apiKey, 'POST', '/elt_syncs', { connection_id: connectionB.id, destination_schema_name: 'e2e_org_b', sync_interval: '0 3 1 1 *' });
    expect(eltB.status).toBe(201);
    const addedB = await call(syncApi, orgB.apiKey, 'POST', `/elt_syncs/${eltB.body.id}/source_streams`, { source_streams: [{ name: 'deals' }] });
    expect(addedB.status).toBe(200);
    const streamB = addedB.body.source_streams[0].id as string;
    const b = orgB.organizationUid;
    const q = `organization_uid=${b}`;

    const sync: Array<[string, string, unknown?]> = [
      ['GET', `/api/integrations/hubspot/sync/status?${q}`],
      ['GET', `/api/integrations/hubspot/sync/stages?${q}`],
      ['POST', '/api/integrations/hubspot/sync', { organization_uid: b, mode: 'catalog_only' }],
      ['GET', `/api/integrations/hubspot/status?${q}`],
      ['POST', '/api/integrations/hubspot/backfill', { organization_uid: b }],
      ['GET', `/api/integrations/status?${q}`],
      ['POST', '/api/ingest/run', { organization_uid: b }],
      ['GET', `/api/ingest/status?${q}`],
      ['GET', `/api/integrations/hubspot/sync/runs?${q}`],
      ['GET', `/api/integrations/hubspot/sync/events?${q}`],
      ['GET', `/api/integrations/hubspot/skipped-records?${q}`],
      ['GET', `/api/integrations/hubspot/mappings?${q}`],
      ['GET', `/api/integrations/hubspot/filters?${q}`],
      ['GET', `/api/integrations/hubspot/rate-limits?${q}`],
      ['GET', `/elt_syncs?${q}`],
      ['POST', '/elt_syncs', { organization_uid: b, connection_id: connectionB.id, destination_schema_name: 'e2e_org_b2' }],
      ['POST', '/elt_syncs', { connection_id: connectionB.id, destination_schema_name: 'e2e_org_a2' }],
      ['GET', `/elt_syncs/${eltB.body.id}`],
      ['POST', `/elt_syncs/${eltB.body.id}`, { sync_interval: '0 4 1 1 *' }],
      ['GET', `/elt_syncs/${eltB.body.id}/status`],
      ['GET', `/elt_syncs/${eltB.body.id}/available_source_streams`],
      ['POST', `/elt_syncs/${eltB.body.id}/source_streams`, { source_streams: [{ name: 'contacts' }] }],
      ['POST', `/elt_syncs/${eltB.body.id}/disable`],
      ['POST', `/elt_syncs/${eltB.body.id}/enable`],
      ['POST', `/elt_streams/${streamB}/request_run`],
      ['POST', `/elt_streams/${streamB}/request_full_refresh`],
      ['DELETE', `/elt_syncs/${eltB.body.id}`],
    ];
    const answers = await Promise.all(sync.map(async ([method, path, body]) => ({ what: `${method} ${path}`, status: (await call(syncApi, orgA.apiKey, method, path, body)).status })));
    const gateway = await Promise.all(
      ([
        ['GET', `/connections/${connectionB.id}`],
        ['GET', `/connections?${q}`],
        ['DELETE', `/connections/${connectionB.id}`],
      ] as Array<[string, string]>).map(async ([method, path]) => ({ what: `auth-gateway ${method} ${path}`, status: (await call(authGateway, orgA.apiKey, method, path)).status })),
    );
    const start = await fetch(`${authGateway}/api/integrations/hubspot/start?${q}`, { headers: { 'x-api-key': orgA.apiKey, accept: 'application/json' }, redirect: 'manual' });
    const all = [...answers, ...gateway, { what: 'auth-gateway GET /api/integrations/hubspot/start', status: start.status }];
    expect(all.filter((a) => a.status !== 404)).toEqual([]);

    // Nothing of B changed, and B's own key still sees it.
    expect((await call(syncApi, orgB.apiKey, 'GET', `/elt_syncs/${eltB.body.id}`)).body).toMatchObject({ status: 'active', sync_interval: '0 3 1 1 *' });
    expect((await call(authGateway, orgB.apiKey, 'GET', `/connections/${connectionB.id}`)).body).toMatchObject({ status: 'active' });
    expect((await call(syncApi, orgB.apiKey, 'GET', '/api/integrations/hubspot/sync/status')).status).toBe(200);
  });
});
