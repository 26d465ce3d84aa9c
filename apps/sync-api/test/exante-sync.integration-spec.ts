import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

describe('Exante sync endpoints (in-process sync-api, real PostgreSQL and NATS)', () => {
  let t: SyncApiTestApp;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    t = await startSyncApiTestApp({ database: 'sync_api_exante_spec', nats: true, settings: { stagesWaitMs: 300 } });
    a = await t.tenant('exante-a');
    b = await t.tenant('exante-b');
    await t.connect(a.organizationUid, '1001');
    await t.connect(b.organizationUid, '1002');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('starts a sync: 202 with a run id, a queued full_sync job and pending object runs', async () => {
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { mode: 'catalog_only' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ run_id: expect.any(String), status: 'queued', organization_uid: a.organizationUid, mode: 'catalog_only' });
    const jobs = await t.dataSource.query(`SELECT kind, mode, status, object_types, portal_id, run_id FROM sync.jobs WHERE organization_uid = $1`, [a.organizationUid]);
    expect(jobs).toEqual([expect.objectContaining({ kind: 'full_sync', mode: 'catalog_only', status: 'queued', object_types: ['deals', 'companies', 'contacts'], portal_id: '1001', run_id: res.body.run_id })]);

    const status = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/status');
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      organization_uid: a.organizationUid,
      companies: { status: 'pending', total_synced: 0 },
      contacts: { status: 'pending', total_synced: 0 },
      deals: { status: 'pending', total_synced: 0 },
    });

    const again = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ skipped: true, reason: 'sync_in_progress', run_id: res.body.run_id });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);
  });

  it('reports the seed status shape from sync.object_runs of the latest run', async () => {
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    expect(res.status).toBe(202);
    const runId = res.body.run_id;
    await t.dataSource.query(`UPDATE sync.object_runs SET status = 'completed', total_synced = 10, total_skipped = 2 WHERE run_id = $1 AND object_type = 'companies'`, [runId]);
    await t.dataSource.query(`UPDATE sync.object_runs SET status = 'syncing', total_synced = 4 WHERE run_id = $1 AND object_type = 'contacts'`, [runId]);
    await t.dataSource.query(`UPDATE sync.object_runs SET status = 'failed', error_message = 'example failure' WHERE run_id = $1 AND object_type = 'deals'`, [runId]);
    const status = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/status');
    expect(status.body).toEqual({
      organization_uid: a.organizationUid,
      companies: { status: 'completed', total_synced: 10, total_skipped: 2 },
      contacts: { status: 'syncing', total_synced: 4 },
      deals: { status: 'failed', error_message: 'example failure' },
    });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);
  });

  it('starts exactly one of two simultaneous syncs (race-free sync_in_progress)', async () => {
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        t.call(b.apiKey, 'POST', '/api/integrations/hubspot/sync', {}),
        t.call(b.apiKey, 'POST', '/api/integrations/hubspot/sync', { mode: 'catalog_only' }),
        t.call(b.apiKey, 'POST', '/api/ingest/run', {}),
      ]);
      expect(answers.map((x) => x.status).sort()).toEqual([200, 200, 202]);
      const skipped = answers.filter((x) => x.status === 200);
      for (const s of skipped) expect(s.body).toMatchObject({ skipped: true, reason: 'sync_in_progress' });
      const queued = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE organization_uid = $1 AND status = 'queued'`, [b.organizationUid]);
      expect(queued[0].n).toBe(1);
      await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [b.organizationUid]);
    }
  });

  it('rejects a bad mode and unknown fields with a field-named 400', async () => {
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { mode: 'everything' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('mode'), details: [expect.objectContaining({ field: 'mode' })] });
    const typo = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stage: ['x'] });
    expect(typo.status).toBe(400);
    expect(typo.body.details).toEqual([expect.objectContaining({ field: 'deal_stage', message: 'deal_stage is not a known field' })]);
    const notArray = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stages: 'closedwon' });
    expect(notArray.status).toBe(400);
    expect(notArray.body.details[0].field).toBe('deal_stages');
    const array = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', '[1,2]');
    expect(array.status).toBe(400);
    const broken = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', '{"mode":');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('Request body is not valid JSON') });
  });

  it('answers 404 for an organization of another tenant, on every Exante endpoint', async () => {
    const foreign = `organization_uid=${b.organizationUid}`;
    expect((await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { organization_uid: b.organizationUid })).status).toBe(404);
    expect((await t.call(a.apiKey, 'GET', `/api/integrations/hubspot/sync/status?${foreign}`)).status).toBe(404);
    expect((await t.call(a.apiKey, 'GET', `/api/integrations/hubspot/sync/stages?${foreign}`)).status).toBe(404);
    const jobs = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE organization_uid = $1 AND status = 'queued'`, [b.organizationUid]);
    expect(jobs[0].n).toBe(0);
  });

  it('answers 401 without a key and 409 without a connection', async () => {
    const none = await t.call(undefined, 'POST', '/api/integrations/hubspot/sync', {});
    expect(none).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: expect.any(String) } });
    const c = await t.tenant('exante-unconnected');
    const res = await t.call(c.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual({ reason: 'not_connected' });
  });

  it('answers 413 above 1 MB and accepts bodies just under it', async () => {
    const big = JSON.stringify({ mode: 'full', deal_stages: ['x'.repeat(1024 * 1024)] });
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.stringContaining('limit') });
    const underLimit = JSON.stringify({ mode: 'full', deal_stages: ['x'.repeat(500 * 1024)] });
    const ok = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', underLimit);
    expect(ok.status).toBe(400); // parsed and validated (stage id too long), not rejected for size
    expect(ok.body.details[0].field).toBe('deal_stages');
  });
});
