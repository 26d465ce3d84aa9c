import { SandboxHandle } from '@hubsync/testing';
import { apiError, portalWithToken, raw, sdk, startContractSandbox } from './support';

describe('sandbox rate limits, counters and injected faults', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startContractSandbox();
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('a burst above a Starter private app\'s 100 / 10 s gets TEN_SECONDLY_ROLLING with the rate-limit headers', async () => {
    const { portalId, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read'], 'starter');
    const ok = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);
    expect(ok.headers['x-hubspot-ratelimit-max']).toBe('100');
    expect(ok.headers['x-hubspot-ratelimit-remaining']).toBe('99');
    expect(ok.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
    expect(ok.headers['x-hubspot-ratelimit-daily']).toBe('625000');
    const results = await Promise.allSettled(Array.from({ length: 110 }, () => client.crm.contacts.basicApi.getPage(1)));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code: number; body: any; headers: Record<string, string> });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(99);
    expect(rejected).toHaveLength(11);
    const err = rejected[0];
    expect(err.code).toBe(429);
    expect(err.headers['content-type']).toMatch(/application\/json/);
    expect(err.body).toMatchObject({ status: 'error', category: 'RATE_LIMITS', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(err.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(err.headers['x-hubspot-ratelimit-max']).toBe('100');
    const counters = await sandbox.admin.counters(portalId);
    expect(counters.requests).toBe(111);
    expect(counters.http429).toBe(11);
    expect(counters.maxWindowRequests).toBe(111);
    expect(counters.byStatus['200']).toBe(100);
  });

  it('professional private apps get 190 / 10 s and limit-pack ones 250', async () => {
    const { client } = await portalWithToken(sandbox, ['crm.objects.contacts.read'], 'professional');
    expect((await client.crm.contacts.basicApi.getPageWithHttpInfo(1)).headers['x-hubspot-ratelimit-max']).toBe('190');
    const pack = await portalWithToken(sandbox, ['crm.objects.contacts.read'], 'limit-pack');
    expect((await pack.client.crm.contacts.basicApi.getPageWithHttpInfo(1)).headers['x-hubspot-ratelimit-max']).toBe('250');
  });

  it('limits search to 5 requests per second per portal, with the secondly message and no headers', async () => {
    const { portalId, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read']);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.crm.contacts.searchApi.doSearchWithHttpInfo({ limit: 1 })));
    const ok = results.filter((r) => r.status === 'fulfilled') as Array<PromiseFulfilledResult<{ headers: Record<string, string> }>>;
    expect(ok).toHaveLength(5);
    expect(ok[0].value.headers['x-hubspot-ratelimit-max']).toBeUndefined();
    const err = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: number; body: any; headers: Record<string, string> };
    expect(err.code).toBe(429);
    expect(err.body.message).toBe('You have reached your secondly limit.');
    expect(err.headers['x-hubspot-ratelimit-max']).toBeUndefined();
    const counters = await sandbox.admin.counters(portalId);
    expect(counters.searchRequests).toBe(8);
    expect(counters.maxSearchPerSecond).toBe(8);
    // Search is outside the burst window (HUBSPOT-FACTS "Limits": its own per-account limit, no burst headers).
    expect(counters.maxWindowRequests).toBe(0);
  });

  it('a full burst window does not block search, and search does not fill the burst window', async () => {
    const { portalId, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read'], 'starter');
    for (let i = 0; i < 4; i++) await client.crm.contacts.searchApi.doSearch({ limit: 1 });
    const general = await Promise.allSettled(Array.from({ length: 100 }, () => client.crm.contacts.basicApi.getPage(1)));
    expect(general.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
    await expect(client.crm.contacts.searchApi.doSearch({ limit: 1 })).resolves.toMatchObject({ results: expect.any(Array) });
    expect((await apiError(client.crm.contacts.basicApi.getPage(1))).body.policyName).toBe('TEN_SECONDLY_ROLLING');
    const counters = await sandbox.admin.counters(portalId);
    expect(counters).toMatchObject({ requests: 106, searchRequests: 5, http429: 1, maxWindowRequests: 101 });
  });

  it('enforces the daily limit (overridden low) with policy DAILY', async () => {
    const { portalId, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read']);
    await sandbox.admin.setKnobs(portalId, { dailyLimit: 3 });
    for (let i = 0; i < 3; i++) await client.crm.contacts.basicApi.getPage(1);
    const err = await apiError(client.crm.contacts.basicApi.getPage(1));
    expect(err.code).toBe(429);
    expect(err.body.policyName).toBe('DAILY');
    expect(err.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    await sandbox.admin.setKnobs(portalId, { limitsEnabled: false });
    await client.crm.contacts.basicApi.getPage(1);
  });

  it('injects 429 storms, 5xx (JSON or HTML) and connection resets on demand', async () => {
    const { portalId, token, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read']);
    await sandbox.admin.setKnobs(portalId, { stormSeconds: 30 });
    const storm = await apiError(client.crm.contacts.basicApi.getPage(1));
    expect(storm.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    await sandbox.admin.setKnobs(portalId, { stormUntil: 0, errorRates: { '503': 1 } });
    const unavailable = await apiError(client.crm.contacts.basicApi.getPage(1));
    expect(unavailable.code).toBe(503);
    expect(unavailable.headers['content-type']).toMatch(/application\/json/);
    await sandbox.admin.setKnobs(portalId, { htmlGatewayErrors: true });
    const html = await raw(sandbox, '/crm/v3/objects/contacts', { token });
    expect(html.status).toBe(503);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    await sandbox.admin.setKnobs(portalId, { errorRates: { '503': 0 }, resetRate: 1 });
    await expect(fetch(`${sandbox.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
    await sandbox.admin.setKnobs(portalId, { resetRate: 0 });
    const counters = await sandbox.admin.counters(portalId);
    expect(counters.injectedErrors).toBe(2);
    expect(counters.connectionResets).toBe(1);
    expect((await client.crm.contacts.basicApi.getPageWithHttpInfo(1)).httpStatusCode).toBe(200);
  });

  it('returns wrong-typed values when the type-glitch knob is on', async () => {
    const { portalId, client } = await portalWithToken(sandbox, ['crm.objects.contacts.read']);
    await sandbox.admin.mutate(portalId, 'contacts', { create: [{ properties: { email: 'glitch@example.com' } }], immediate: true });
    await sandbox.admin.setKnobs(portalId, { typeGlitchRate: 1 });
    const page = await client.crm.contacts.basicApi.getPage(1);
    expect(page.results[0].properties.createdate).toMatch(/^\d+$/);
    await sandbox.admin.setKnobs(portalId, { typeGlitchRate: 0 });
    expect((await client.crm.contacts.basicApi.getPage(1)).results[0].properties.createdate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('lets the token endpoint answer 429 when asked to', async () => {
    await sandbox.admin.setKnobs(null, { tokenEndpoint429Rate: 1 });
    const err = await apiError(sdk(sandbox).oauth.tokensApi.create('refresh_token', undefined, undefined, 'x', 'y', 'z'));
    expect(err.code).toBe(429);
    await sandbox.admin.setKnobs(null, { tokenEndpoint429Rate: 0 });
  });
});
