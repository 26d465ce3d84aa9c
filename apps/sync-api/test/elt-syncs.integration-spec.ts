import { SchedulerService } from '../src/schedules/scheduler.service';
import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

describe('Weld management API and schedules (in-process sync-api, real PostgreSQL)', () => {
  let t: SyncApiTestApp;
  let a: Tenant;
  let b: Tenant;
  let connectionA: string;
  let connectionB: string;

  beforeAll(async () => {
    t = await startSyncApiTestApp({ database: 'sync_api_elt_spec' });
    a = await t.tenant('elt-a');
    b = await t.tenant('elt-b');
    connectionA = await t.connect(a.organizationUid, '2001');
    connectionB = await t.connect(b.organizationUid, '2002');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('walks the elt_syncs lifecycle: create, streams, run, full refresh, update, disable, enable, status, delete', async () => {
    const created = await t.call(a.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA, destination_schema_name: 'hubspot_acme', sync_interval: '0 */6 * * *' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      connection_id: connectionA,
      integration_id: 'hubspot-v2',
      destination_schema_name: 'hubspot_acme',
      sync_interval: '0 */6 * * *',
      time_zone: 'UTC',
      status: 'active',
      next_run_at: expect.any(String),
      source_streams: [],
    });
    const id = created.body.id;
    expect(new Date(created.body.next_run_at).getUTCHours() % 6).toBe(0);

    const available = await t.call(a.apiKey, 'GET', `/elt_syncs/${id}/available_source_streams`);
    expect(available.status).toBe(200);
    const names = available.body.data.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['contacts', 'companies', 'deals']));
    expect(names).not.toContain('tickets'); // the connection was not granted the tickets scope

    const unknown = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'contacts' }, { name: 'widgets' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'source_streams.1.name', allowed: expect.arrayContaining(['contacts']) })]);

    const added = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'contacts' }, { name: 'companies' }, { name: 'deals' }] });
    expect(added.status).toBe(200);
    expect(added.body.source_streams.map((s: { name: string }) => s.name).sort()).toEqual(['companies', 'contacts', 'deals']);
    expect(added.body.initial_load_run_id).toEqual(expect.any(String));
    const initial = await t.dataSource.query(`SELECT kind, object_types, elt_sync_id FROM sync.jobs WHERE run_id = $1 ORDER BY object_types`, [added.body.initial_load_run_id]);
    expect(initial).toEqual([
      { kind: 'full_refresh', object_types: ['companies'], elt_sync_id: id },
      { kind: 'full_refresh', object_types: ['contacts'], elt_sync_id: id },
      { kind: 'full_refresh', object_types: ['deals'], elt_sync_id: id },
    ]);
    const again = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'contacts' }] });
    expect(again.body.initial_load_run_id).toBeNull();
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE elt_sync_id = $1`, [id]);

    const contacts = added.body.source_streams.find((s: { name: string }) => s.name === 'contacts');
    const run = await t.call(a.apiKey, 'POST', `/elt_streams/${contacts.id}/request_run`);
    expect(run.status).toBe(202);
    expect(run.body).toMatchObject({ id: contacts.id, status: 'queued', job_ids: [expect.any(String), expect.any(String)] });
    const refresh = await t.call(a.apiKey, 'POST', `/elt_streams/${contacts.id}/request_full_refresh`);
    expect(refresh.status).toBe(202);
    expect(refresh.body).toMatchObject({ id: contacts.id, status: 'queued', run_id: expect.any(String), job_id: expect.any(String) });
    const refreshAgain = await t.call(a.apiKey, 'POST', `/elt_streams/${contacts.id}/request_full_refresh`);
    expect(refreshAgain.status).toBe(200);
    expect(refreshAgain.body).toMatchObject({ skipped: true, reason: 'full_refresh_in_progress', run_id: refresh.body.run_id });
    const refreshJob = await t.dataSource.query(`SELECT kind, object_types, status FROM sync.jobs WHERE id = $1`, [refresh.body.job_id]);
    expect(refreshJob).toEqual([{ kind: 'full_refresh', object_types: ['contacts'], status: 'queued' }]);

    const status = await t.call(a.apiKey, 'GET', `/elt_syncs/${id}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id, status: 'active', running: true, next_run_at: expect.any(String) });
    expect(status.body.source_streams).toHaveLength(3);

    const updated = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}`, { sync_interval: '*/15 8-18 * * 1-5', time_zone: 'Europe/Copenhagen' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sync_interval: '*/15 8-18 * * 1-5', time_zone: 'Europe/Copenhagen' });

    const disabled = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}/disable`);
    expect(disabled.body).toMatchObject({ status: 'paused', next_run_at: null });
    expect((await t.call(a.apiKey, 'POST', `/elt_streams/${contacts.id}/request_run`)).status).toBe(409);
    const enabled = await t.call(a.apiKey, 'POST', `/elt_syncs/${id}/enable`);
    expect(enabled.body).toMatchObject({ status: 'active', next_run_at: expect.any(String) });

    const list = await t.call(a.apiKey, 'GET', '/elt_syncs');
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([id]);

    const views = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.remap_requests WHERE organization_uid = $1 AND target_entity = 'views'`, [a.organizationUid]);
    expect(views[0].n).toBe(1);

    expect((await t.call(a.apiKey, 'DELETE', `/elt_syncs/${id}`)).status).toBe(204);
    expect((await t.call(a.apiKey, 'GET', `/elt_syncs/${id}`)).status).toBe(404);
    expect((await t.call(a.apiKey, 'POST', `/elt_streams/${contacts.id}/request_run`)).status).toBe(404);
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);
  });

  it.each([
    [{ sync_interval: '61 * * * *' }, 'sync_interval', /not a valid cron/],
    [{ sync_interval: '* * *' }, 'sync_interval', /5 fields/],
    [{ time_zone: 'Mars/Olympus' }, 'time_zone', /IANA/],
    [{ destination_schema_name: 'public' }, 'destination_schema_name', /reserved/],
    [{ destination_schema_name: 'pg_toast2' }, 'destination_schema_name', /reserved/],
    [{ destination_schema_name: 'Bad-Name' }, 'destination_schema_name', /must match/],
    [{ destination_schema_name: 'information_schema' }, 'destination_schema_name', /reserved/],
  ])('rejects %j with a 400 naming %s', async (extra, field, message) => {
    const res = await t.call(a.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA, ...extra });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [expect.objectContaining({ field })] });
    expect(res.body.message).toMatch(message);
  });

  it('rejects a taken schema name, a foreign connection, and a second sync of one organization', async () => {
    const first = await t.call(b.apiKey, 'POST', '/elt_syncs', { connection_id: connectionB, destination_schema_name: 'hubspot_shared' });
    expect(first.status).toBe(201);
    const taken = await t.call(a.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA, destination_schema_name: 'hubspot_shared' });
    expect(taken.status).toBe(400);
    expect(taken.body.message).toMatch(/already taken/);
    const othersDefault = await t.call(a.apiKey, 'POST', '/elt_syncs', { connection_id: connectionA, destination_schema_name: `hubspot_${b.organizationUid.replace(/-/g, '').slice(0, 8)}` });
    expect(othersDefault.status).toBe(400);
    const foreign = await t.call(a.apiKey, 'POST', '/elt_syncs', { connection_id: connectionB });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toMatch(/Connection .* not found/);
    const second = await t.call(b.apiKey, 'POST', '/elt_syncs', { connection_id: connectionB, destination_schema_name: 'hubspot_other' });
    expect(second.status).toBe(409);
    expect(second.body.details).toMatchObject({ reason: 'elt_sync_exists' });
    expect((await t.call(b.apiKey, 'DELETE', `/elt_syncs/${first.body.id}`)).status).toBe(204);
  });

  it('answers 404 on every elt endpoint for a key of another organization', async () => {
    const own = await t.call(b.apiKey, 'POST', '/elt_syncs', { connection_id: connectionB });
    expect(own.status).toBe(201);
    expect(own.body.destination_schema_name).toBe(`hubspot_${b.organizationUid.replace(/-/g, '').slice(0, 8)}`);
    const id = own.body.id;
    const streams = await t.call(b.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'deals' }] });
    const streamId = streams.body.source_streams[0].id;
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE organization_uid = $1`, [b.organizationUid]);
    for (const [method, path, body] of [
      ['GET', `/elt_syncs/${id}`],
      ['POST', `/elt_syncs/${id}`, { sync_interval: '0 * * * *' }],
      ['POST', `/elt_syncs/${id}/enable`],
      ['POST', `/elt_syncs/${id}/disable`],
      ['GET', `/elt_syncs/${id}/status`],
      ['GET', `/elt_syncs/${id}/available_source_streams`],
      ['POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'contacts' }] }],
      ['DELETE', `/elt_syncs/${id}`],
      ['POST', `/elt_streams/${streamId}/request_run`],
      ['POST', `/elt_streams/${streamId}/request_full_refresh`],
      ['GET', `/elt_syncs?organization_uid=${b.organizationUid}`],
      ['GET', `/elt_syncs/not-a-uuid`],
    ] as [string, string, unknown?][]) {
      const res = await t.call(a.apiKey, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE organization_uid = $1`, [b.organizationUid]);
    expect(after[0].n).toBe(before[0].n);
    expect((await t.call(b.apiKey, 'GET', `/elt_syncs/${id}`)).body).toMatchObject({ id, status: 'active', sync_interval: '*/15 * * * *' });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [b.organizationUid]);
  });

  it('fires each schedule slot once across concurrent replicas, and skips (recording it) while a run goes', async () => {
    const c = await t.tenant('elt-schedule');
    const connection = await t.connect(c.organizationUid, '2003');
    const created = await t.call(c.apiKey, 'POST', '/elt_syncs', { connection_id: connection });
    const id = created.body.id;
    await t.call(c.apiKey, 'POST', `/elt_syncs/${id}/source_streams`, { source_streams: [{ name: 'contacts' }, { name: 'deals' }] });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE elt_sync_id = $1`, [id]);
    const slot = new Date(Date.now() - 60_000);
    await t.dataSource.query(`UPDATE sync.schedules SET next_fire_at = $2 WHERE elt_sync_id = $1`, [id, slot]);

    // Three "replicas" tick at once: the slot fires exactly once.
    const scheduler = t.app.get(SchedulerService);
    const results = await Promise.all([scheduler.tick(), scheduler.tick(), scheduler.tick()]);
    const mine = results.flat().filter((f) => f.scheduledFor.getTime() === slot.getTime());
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ outcome: 'queued', jobIds: [expect.any(String), expect.any(String)] });
    const fires = await t.dataSource.query(`SELECT outcome, array_length(job_ids, 1) AS jobs FROM sync.schedule_fires WHERE elt_sync_id = $1`, [id]);
    expect(fires).toEqual([{ outcome: 'queued', jobs: 2 }]);
    const jobs = await t.dataSource.query(`SELECT kind, object_types, source FROM sync.jobs WHERE elt_sync_id = $1 AND source = 'schedule' ORDER BY kind`, [id]);
    expect(jobs).toEqual([
      { kind: 'association_sweep', object_types: ['contacts', 'deals'], source: 'schedule' },
      { kind: 'delete_sweep', object_types: ['contacts', 'deals'], source: 'schedule' },
    ]);
    const next = await t.dataSource.query(`SELECT next_fire_at FROM sync.schedules WHERE elt_sync_id = $1`, [id]);
    expect(new Date(next[0].next_fire_at).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(next[0].next_fire_at).getUTCMinutes() % 15).toBe(0);

    // The next slot comes while those jobs are still queued: skipped and recorded, nothing queued.
    const slot2 = new Date(Date.now() - 1_000);
    await t.dataSource.query(`UPDATE sync.schedules SET next_fire_at = $2 WHERE elt_sync_id = $1`, [id, slot2]);
    const second = (await scheduler.tick()).filter((f) => f.scheduledFor.getTime() === slot2.getTime());
    expect(second).toEqual([expect.objectContaining({ outcome: 'skipped_running', jobIds: [] })]);
    const count = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE elt_sync_id = $1 AND source = 'schedule'`, [id]);
    expect(count[0].n).toBe(2);
    const status = await t.call(c.apiKey, 'GET', `/elt_syncs/${id}/status`);
    expect(status.body.recent_fires.map((f: { outcome: string }) => f.outcome)).toEqual(['skipped_running', 'queued']);
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [c.organizationUid]);
  });
});
