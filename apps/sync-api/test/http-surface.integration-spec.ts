import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

describe('HTTP surface: OpenAPI, error bodies, API keys, per-key rate limit (in-process sync-api)', () => {
  let t: SyncApiTestApp;
  let a: Tenant;

  beforeAll(async () => {
    t = await startSyncApiTestApp({ database: 'sync_api_http_spec', settings: { apiRateLimitPerMinute: 20 } });
    a = await t.tenant('http-a');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('publishes OpenAPI at /docs-json covering every endpoint, with the seeds examples, and Swagger UI at /docs', async () => {
    const doc = await t.call(undefined, 'GET', '/docs-json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string][] = [
      ['/api/integrations/hubspot/sync', 'post'],
      ['/api/integrations/hubspot/sync/status', 'get'],
      ['/api/integrations/hubspot/sync/stages', 'get'],
      ['/api/integrations/hubspot/status', 'get'],
      ['/api/integrations/hubspot/backfill', 'post'],
      ['/api/integrations/status', 'get'],
      ['/api/ingest/run', 'post'],
      ['/api/ingest/status', 'get'],
      ['/api/integrations/hubspot/sync/runs', 'get'],
      ['/api/integrations/hubspot/sync/events', 'get'],
      ['/api/integrations/hubspot/sync/events/stream', 'get'],
      ['/api/integrations/hubspot/skipped-records', 'get'],
      ['/api/integrations/hubspot/mappings', 'get'],
      ['/api/integrations/hubspot/mappings', 'put'],
      ['/api/integrations/hubspot/filters', 'get'],
      ['/api/integrations/hubspot/filters', 'put'],
      ['/api/integrations/hubspot/rate-limits', 'get'],
      ['/elt_syncs', 'get'],
      ['/elt_syncs', 'post'],
      ['/elt_syncs/{id}', 'get'],
      ['/elt_syncs/{id}', 'post'],
      ['/elt_syncs/{id}', 'delete'],
      ['/elt_syncs/{id}/enable', 'post'],
      ['/elt_syncs/{id}/disable', 'post'],
      ['/elt_syncs/{id}/status', 'get'],
      ['/elt_syncs/{id}/available_source_streams', 'get'],
      ['/elt_syncs/{id}/source_streams', 'post'],
      ['/elt_streams/{id}/request_run', 'post'],
      ['/elt_streams/{id}/request_full_refresh', 'post'],
      ['/api/integrations/hubspot/webhooks', 'post'],
      ['/api/integrations/hubspot/webhooks/subscribe', 'post'],
      ['/api/keys', 'get'],
      ['/api/keys', 'post'],
      ['/api/keys/{id}', 'delete'],
    ];
    for (const [path, method] of expected) expect([path, method, Boolean(paths[path]?.[method])]).toEqual([path, method, true]);
    const serialized = JSON.stringify(doc.body);
    // Seed 000's request example and response shapes, seed 003's create example.
    expect(serialized).toContain('"deal_stages":["closedwon","contractsent"],"mode":"catalog_only"');
    expect(serialized).toContain('"error_message":"example failure"');
    expect(serialized).toContain('"label":"Sales Pipeline"');
    expect(serialized).toContain('"sync_interval":"0 */6 * * *"');
    expect(doc.body.components.securitySchemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    const ui = await fetch(`${t.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('answers every error with { statusCode, error, message }', async () => {
    const unknownRoute = await t.call(a.apiKey, 'GET', '/api/nothing-here');
    expect(unknownRoute.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    const noKey = await t.call(undefined, 'GET', '/elt_syncs');
    expect(noKey.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing x-api-key header' });
    const badKey = await t.call('hsk_00000000_' + 'A'.repeat(43), 'GET', '/elt_syncs');
    expect(badKey.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid or revoked API key' });
    const badQuery = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/sync/status?organization_uid=nope');
    expect(badQuery.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'organization_uid must be a UUID', details: [{ field: 'organization_uid', message: 'organization_uid must be a UUID' }] });
    expect(badQuery.headers.get('x-correlation-id')).toEqual(expect.any(String));
  });

  it('keeps unexpected errors a 500 that names only the correlation id', async () => {
    await t.dataSource.query(`ALTER TABLE sync.sync_filters RENAME TO sync_filters_hidden`);
    try {
      const res = await t.call(a.apiKey, 'GET', '/api/integrations/hubspot/filters', undefined, { 'x-correlation-id': 'test-corr-42' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error (correlation id test-corr-42)' });
      expect(res.headers.get('x-correlation-id')).toBe('test-corr-42');
    } finally {
      await t.dataSource.query(`ALTER TABLE sync.sync_filters_hidden RENAME TO sync_filters`);
    }
  });

  it('creates, lists by prefix and revokes API keys; a revoked key gets 401', async () => {
    const created = await t.call(a.apiKey, 'POST', '/api/keys', { name: 'second' });
    expect(created.status).toBe(201);
    expect(created.body.api_key).toMatch(/^hsk_[0-9a-f]{8}_/);
    const list = await t.call(a.apiKey, 'GET', '/api/keys');
    expect(list.body.data.map((k: { prefix: string }) => k.prefix)).toContain(created.body.prefix);
    expect(JSON.stringify(list.body)).not.toContain(created.body.api_key);
    expect((await t.call(created.body.api_key, 'GET', '/api/keys')).status).toBe(200);
    expect((await t.call(a.apiKey, 'DELETE', `/api/keys/${created.body.prefix}`)).status).toBe(204);
    expect((await t.call(created.body.api_key, 'GET', '/api/keys')).status).toBe(401);
    expect((await t.call(a.apiKey, 'DELETE', '/api/keys/unknown1')).status).toBe(404);
  });

  it('limits requests per key with 429 and Retry-After, without affecting other keys', async () => {
    const b = await t.tenant('http-rate');
    const c = await t.tenant('http-rate-other');
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await t.call(b.apiKey, 'GET', '/api/integrations/hubspot/sync/status'));
    expect(answers.slice(0, 20).every((r) => r.status === 200)).toBe(true);
    const limited = answers[20];
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('Rate limit') });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.call(c.apiKey, 'GET', '/api/integrations/hubspot/sync/status')).status).toBe(200);
  });
});
