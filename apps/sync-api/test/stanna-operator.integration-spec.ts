import { connect, JSONCodec } from 'nats';
import { portalWorkSubject, SYNC_WORK_STREAM } from '@hubsync/contracts';
import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

describe('Stanna, stages and operator endpoints (in-process sync-api, real PostgreSQL and NATS)', () => {
  let t: SyncApiTestApp;
  let a: Tenant;
  let b: Tenant;
  let connectionA: string;

  beforeAll(async () => {
    t = await startSyncApiTestApp({ database: 'sync_api_stanna_spec', nats: true, settings: { stagesWaitMs: 300, apiRateLimitPerMinute: 1000 } });
    a = await t.tenant('stanna-a');
    b = await t.tenant('stanna-b');
    connectionA = await t.connect(a.organizationUid, '4001');
    await t.connect(b.organizationUid, '4002');
  });

  afterAll(async () => {
    await t?.close();
  });

  async function seedPipelines(organizationUid: string) {
    await t.dataSource.query(
      `INSERT INTO hubspot.pipelines (organization_uid, object_type, pipeline_id, label, display_order, fetched_at) VALUES
        ($1, 'deals', 'default', 'Sales Pipeline', 0, now()), ($1, 'deals', 'renewals', 'Renewals', 1, now()), ($1, 'tickets', 'support', 'Support', 0, now())`,
      [organizationUid],
    );
    await t.dataSource.query(
      `INSERT INTO hubspot.pipeline_stages (organization_uid, object_type, pipeline_id, stage_id, label, display_order, archived, fetched_at) VALUES
        ($1, 'deals', 'default', 'closedwon', 'Closed Won', 5, false, now()),
        ($1, 'deals', 'default', 'appointmentscheduled', 'Appointment Scheduled', 0, false, now()),
        ($1, 'deals', 'default', 'oldstage', 'Old', 3, true, now()),
        ($1, 'deals', 'renewals', 'renewal_due', 'Renewal due', 0, false, now())`,
      [organizationUid],
    );
  }

  it('lists stages from the mirror in the seed shape, and validates deal_stages against them', async () => {
    // Empty mirror: a pipelines job is requested (once), then 503 after the short wait.
    const empty = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/stages');
    expect(empty.status).toBe(503);
    expect(empty.headers.get('retry-after')).toBe('5');
    await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/stages');
    const pipelineJobs = await t.dataSource.query(`SELECT status FROM sync.jobs WHERE organization_uid = $1 AND kind = 'pipelines'`, [a.organizationUid]);
    expect(pipelineJobs).toEqual([{ status: 'queued' }]);

    await seedPipelines(a.organizationUid);
    const stages = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/stages');
    expect(stages.status).toBe(200);
    expect(stages.body).toEqual({
      pipelines: [
        {
          id: 'default',
          label: 'Sales Pipeline',
          stages: [
            { id: 'appointmentscheduled', label: 'Appointment Scheduled', display_order: 0 },
            { id: 'closedwon', label: 'Closed Won', display_order: 5 },
          ],
        },
        { id: 'renewals', label: 'Renewals', stages: [{ id: 'renewal_due', label: 'Renewal due', display_order: 0 }] },
      ],
    });

    const unknown = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stages: ['closedwon', 'closedwonn', 'oldstage'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.map((d: { field: string }) => d.field)).toEqual(['deal_stages.1', 'deal_stages.2']);
    expect(unknown.body.details[0].allowed).toEqual(['appointmentscheduled', 'closedwon', 'renewal_due']);
    expect(unknown.body.message).toContain('valid stage ids: appointmentscheduled, closedwon, renewal_due');

    const ok = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', { deal_stages: ['closedwon', 'renewal_due'], mode: 'full' });
    expect(ok.status).toBe(202);
    const job = await t.dataSource.query(`SELECT id, filters, mode FROM sync.jobs WHERE run_id = $1`, [ok.body.run_id]);
    expect(job[0]).toMatchObject({ mode: 'full', filters: { dealStages: ['closedwon', 'renewal_due'] } });

    // The notice went to JetStream: subject per portal, msg id = job id.
    const natsUrl = t.nats?.natsUrl;
    if (!natsUrl) throw new Error('this spec starts NATS');
    const nc = await connect({ servers: natsUrl });
    try {
      const jsm = await nc.jetstreamManager();
      const message = await jsm.streams.getMessage(SYNC_WORK_STREAM.name, { last_by_subj: portalWorkSubject('4001') });
      expect(message.header.get('Nats-Msg-Id')).toBe(job[0].id);
      expect(JSONCodec().decode(message.data)).toEqual({ organizationUid: a.organizationUid, connectionId: connectionA, portalId: '4001', jobId: job[0].id });
    } finally {
      await nc.close();
    }
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);
  });

  it('queues a backfill with the lookback as a create-date bound, and rejects bad lookbacks', async () => {
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/backfill', { lookback: 'P6M', object_types: ['companies', 'deals'] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', lookback: 'P6M', object_types: ['companies', 'deals'] });
    const sixMonthsAgo = new Date();
    sixMonthsAgo.setUTCMonth(sixMonthsAgo.getUTCMonth() - 6);
    expect(Math.abs(new Date(res.body.created_after).getTime() - sixMonthsAgo.getTime())).toBeLessThan(3 * 86_400_000);
    const job = await t.dataSource.query(`SELECT kind, object_types, filters FROM sync.jobs WHERE run_id = $1`, [res.body.run_id]);
    expect(job).toEqual([{ kind: 'backfill', object_types: ['companies', 'deals'], filters: { createdAfter: res.body.created_after } }]);
    // A backfill counts as a sync in progress for Exante.
    const blocked = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    expect(blocked.body).toMatchObject({ skipped: true, reason: 'sync_in_progress', run_id: res.body.run_id });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);

    const defaults = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/backfill', {});
    expect(defaults.status).toBe(202);
    expect(defaults.body.lookback).toBe('2y');
    expect(defaults.body.object_types).toEqual(['companies', 'contacts', 'deals', 'calls', 'emails', 'meetings', 'notes', 'tasks']);
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);

    for (const body of [{ lookback: 'forever' }, { lookback: '0y' }, { lookback: 42 }, { object_types: ['widgets'] }]) {
      const bad = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/backfill', body);
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toMatch(/^(lookback|object_types\.0)$/);
    }
  });

  it('reports connection status with the last successful sync, every integration, and ingest progress', async () => {
    const run = await t.call(a.apiKey, 'POST', '/api/ingest/run', {});
    expect(run.status).toBe(202);
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done', started_at = now() WHERE run_id = $1`, [run.body.run_id]);
    await t.dataSource.query(
      `UPDATE sync.object_runs SET status = 'completed', total_synced = 90, total_skipped = 10, estimate = 100, fetch_started_at = now(), completed_at = now() WHERE run_id = $1`,
      [run.body.run_id],
    );
    const status = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      organization_uid: a.organizationUid,
      connected: true,
      connection_id: connectionA,
      portal_id: '4001',
      status: 'active',
      scopes: expect.arrayContaining(['crm.objects.deals.read']),
      missing_scopes: [],
      last_successful_sync: { run_id: run.body.run_id, kind: 'full_sync', finished_at: expect.any(String) },
    });
    const all = await t.call(a.apiKey, 'GET', '/api/integrations/status');
    expect(all.body.integrations).toEqual([expect.objectContaining({ integration_id: 'hubspot-v2', connection_id: connectionA, status: 'active', sync_in_progress: false })]);
    const ingest = await t.call(a.apiKey, 'GET', '/api/ingest/status');
    expect(ingest.body).toMatchObject({ run_id: run.body.run_id, status: 'completed', percent: 100, errors: [] });
    expect(ingest.body.objects.companies).toMatchObject({ status: 'completed', total_synced: 90, total_skipped: 10, estimate: 100, percent: 100 });

    const unconnected = await t.tenant('stanna-none');
    const none = await t.call(unconnected.apiKey, 'GET', '/api/integrations/hubspot/status');
    expect(none.body).toMatchObject({ connected: false, status: 'disconnected', connection_id: null, last_successful_sync: null });
  });

  it('serves run history, events (paged and streamed), skipped records grouped and rate-limit usage', async () => {
    const runs = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/runs?limit=2');
    expect(runs.status).toBe(200);
    expect(runs.body.data).toHaveLength(2);
    expect(runs.body.next_cursor).toEqual(expect.any(String));
    const page2 = await t.call(a.apiKey, 'GET', `/api/integrations/hubspot/sync/runs?limit=2&cursor=${runs.body.next_cursor}`);
    expect(page2.body.data.length).toBeGreaterThan(0);
    expect(page2.body.data[0].id).not.toBe(runs.body.data[1].id);
    expect((await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/runs?limit=0')).status).toBe(400);
    expect((await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/runs?cursor=garbage')).status).toBe(400);

    const events = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/events?limit=3');
    expect(events.body.data).toHaveLength(3);
    const more = await t.call(a.apiKey, 'GET', `/api/integrations/hubspot/sync/events?after_id=${events.body.next_after_id}`);
    expect(Number(more.body.data[0].id)).toBeGreaterThan(Number(events.body.next_after_id));

    // SSE: the stream replays after Last-Event-ID and sends a progress snapshot.
    const controller = new AbortController();
    const response = await fetch(`${t.baseUrl}/api/integrations/hubspot/sync/events/stream`, {
      headers: { 'x-api-key': a.apiKey, 'last-event-id': events.body.data[0].id },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    if (!response.body) throw new Error('no SSE body');
    const reader = response.body.getReader();
    let text = '';
    while (!(text.includes('event: progress') && text.includes(`id: ${events.body.data[1].id}`))) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain('event: log');
    expect(text).not.toContain(`id: ${events.body.data[0].id}\n`);

    await t.dataSource.query(
      `INSERT INTO sync.skipped_records (organization_uid, object_type, object_id, rule, detail) VALUES
        ($1, 'companies', '1', 'missing_domain', 'no domain'), ($1, 'companies', '2', 'missing_domain', 'no domain'),
        ($1, 'contacts', '3', 'invalid_email', 'not an email'), ($2, 'companies', '9', 'missing_domain', 'other org')`,
      [a.organizationUid, b.organizationUid],
    );
    const skipped = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/skipped-records?examples=1');
    expect(skipped.body).toMatchObject({
      total: 3,
      groups: [
        { object_type: 'companies', rule: 'missing_domain', count: 2, examples: [expect.objectContaining({ detail: 'no domain' })] },
        { object_type: 'contacts', rule: 'invalid_email', count: 1 },
      ],
    });
    const filtered = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/skipped-records?object_type=contacts');
    expect(filtered.body.total).toBe(1);

    await t.dataSource.query(
      `INSERT INTO sync.fetch_portals (portal_id, organization_uid, connection_id, rate_usage, paused_until, pause_reason)
       VALUES ('4001', $1, $2, '{"window":{"used":40,"capacity":88},"http_429":0}', now() + interval '1 hour', 'DAILY limit reached')`,
      [a.organizationUid, connectionA],
    );
    const limits = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/rate-limits');
    expect(limits.body.portals).toEqual([
      expect.objectContaining({ portal_id: '4001', usage: { window: { used: 40, capacity: 88 }, http_429: 0 }, paused_until: expect.any(String), pause_reason: 'DAILY limit reached' }),
    ]);
  });

  it('saves validated filters and copies them into the next sync job', async () => {
    const bad = await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/filters', { deals: { amount_greater_than: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('deals.amount_greater_than');
    const saved = await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/filters', { deals: { pipelines: ['default'] }, companies: { lifecycle_stages: ['customer'] } });
    expect(saved.status).toBe(200);
    expect((await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/filters')).body.filters).toEqual({ deals: { pipelines: ['default'] }, companies: { lifecycle_stages: ['customer'] } });
    const run = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/sync', {});
    const job = await t.dataSource.query(`SELECT filters FROM sync.jobs WHERE run_id = $1`, [run.body.run_id]);
    expect(job[0].filters.criteria).toEqual({
      deals: [{ field: 'pipeline', condition: 'IN', value: ['default'] }],
      companies: [{ field: 'lifecyclestage', condition: 'IN', value: ['customer'] }],
    });
    await t.dataSource.query(`UPDATE sync.jobs SET status = 'done' WHERE organization_uid = $1`, [a.organizationUid]);
  });

  it('saves validated property mappings and asks the mapper to re-map the changed entities', async () => {
    await t.dataSource.query(
      `INSERT INTO hubspot.properties (organization_uid, object_type, name, type, introspected_at) VALUES
        ($1, 'companies', 'name', 'string', now()), ($1, 'companies', 'annual_recurring_revenue', 'number', now())`,
      [a.organizationUid],
    );
    const bad = await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/mappings', {
      mappings: [{ target_entity: 'stanna.client', target_field: 'mrr', source: { divide: ['annual_recurring_revenu', { literal: 12 }] } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('unknown property "annual_recurring_revenu"');
    expect(bad.body.details[0].field).toMatch(/^mappings\[0\]\.source/);
    const ok = await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/mappings', {
      mappings: [
        { target_entity: 'stanna.client', target_field: 'mrr', source: { divide: ['annual_recurring_revenue', { literal: 12 }] } },
        { target_entity: 'stanna.stakeholder', target_field: 'title', source: 'jobtitle' },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.remapping).toEqual(['stanna.client', 'stanna.stakeholder']);
    expect(ok.body.unverified_properties).toEqual([{ object_type: 'contacts', property: 'jobtitle' }]);
    const requests = await t.dataSource.query(`SELECT target_entity FROM sync.remap_requests WHERE organization_uid = $1 ORDER BY target_entity`, [a.organizationUid]);
    expect(requests.map((r: { target_entity: string }) => r.target_entity)).toEqual(['stanna.client', 'stanna.stakeholder']);
    const get = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/mappings');
    expect(get.body.mappings).toHaveLength(2);
    expect((await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/mappings', { mappings: 'x' })).status).toBe(400);
    expect((await t.call(a.apiKey, 'PUT', '/api/integrations/hubspot/mappings', { mappings: [{ target_entity: '__proto__', target_field: 'x', source: 'y' }] })).status).toBe(400);
  });

  it('answers 404 for another organization on every org-scoped read and write', async () => {
    const q = `organization_uid=${b.organizationUid}`;
    const before = await t.dataSource.query(`SELECT (SELECT count(*) FROM sync.jobs WHERE organization_uid = $1)::int AS jobs, (SELECT count(*) FROM sync.sync_filters WHERE organization_uid = $1)::int AS filters`, [b.organizationUid]);
    for (const [method, path, body] of [
      ['GET', `/api/integrations/hubspot/status?${q}`],
      ['POST', '/api/integrations/hubspot/backfill', { organization_uid: b.organizationUid }],
      ['GET', `/api/integrations/status?${q}`],
      ['POST', '/api/ingest/run', { organization_uid: b.organizationUid }],
      ['GET', `/api/ingest/status?${q}`],
      ['GET', `/api/integrations/hubspot/sync/runs?${q}`],
      ['GET', `/api/integrations/hubspot/sync/events?${q}`],
      ['GET', `/api/integrations/hubspot/sync/events/stream?${q}`],
      ['GET', `/api/integrations/hubspot/skipped-records?${q}`],
      ['GET', `/api/integrations/hubspot/mappings?${q}`],
      ['PUT', `/api/integrations/hubspot/mappings?${q}`, { mappings: [] }],
      ['GET', `/api/integrations/hubspot/filters?${q}`],
      ['PUT', `/api/integrations/hubspot/filters?${q}`, {}],
      ['GET', `/api/integrations/hubspot/rate-limits?${q}`],
      ['POST', '/api/integrations/hubspot/webhooks/subscribe', { organization_uid: b.organizationUid }],
      ['GET', `/api/keys?${q}`],
      ['POST', '/api/keys', { organization_uid: b.organizationUid, name: 'x' }],
    ] as [string, string, unknown?][]) {
      const res = await t.call(a.apiKey, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const ingest = await t.call(a.apiKey, 'GET', `/api/ingest/status?run_id=${(await t.dataSource.query(`SELECT id FROM sync.runs WHERE organization_uid = $1 LIMIT 1`, [b.organizationUid]))[0]?.id ?? '00000000-0000-0000-0000-000000000000'}`);
    expect(ingest.status).toBe(404);
    const after = await t.dataSource.query(`SELECT (SELECT count(*) FROM sync.jobs WHERE organization_uid = $1)::int AS jobs, (SELECT count(*) FROM sync.sync_filters WHERE organization_uid = $1)::int AS filters`, [b.organizationUid]);
    expect(after).toEqual(before);
  });
});
