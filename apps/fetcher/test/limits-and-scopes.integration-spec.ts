import { waitFor } from '@hubsync/testing';
import { ALL_READ_SCOPES, FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Issue 5 §3: a DAILY 429 pauses the portal until midnight in its time zone (shown in
 * `sync.fetch_portals`), without failing the job; a missing scope fails that object type naming the
 * scope while the others go on.
 */
describe('daily limit and missing scopes (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_limits_scopes' });

  beforeAll(async () => {
    await env.start();
    await env.startFetcher('fetcher-a');
  }, 120_000);
  afterAll(() => env.stop(), 60_000);

  it('fails only the object type whose scope is missing, naming the scope; the others complete', async () => {
    const connection = await env.connectPortal({ scopes: ALL_READ_SCOPES.filter((s) => s !== 'crm.objects.deals.read') });
    await env.sandbox.admin.seed(connection.portalId, { seed: 51, sizes: { contacts: 200, companies: 50, deals: 50 } });
    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts', 'companies', 'deals'] });
    expect(await env.waitForJob(jobId, 300_000)).toMatchObject({ status: 'done' });
    const runs = Object.fromEntries((await env.objectRuns(runId as string)).map((r) => [r.object_type, r]));
    expect(runs['deals'].fetch_error).toContain('crm.objects.deals.read');
    expect(runs['contacts']).toMatchObject({ fetch_error: null });
    expect(runs['contacts'].fetch_finished_at).not.toBeNull();
    expect(runs['companies'].fetch_finished_at).not.toBeNull();
    await env.waitForTruth(connection, 'contacts', 60_000);
  }, 400_000);

  it('when the daily budget is spent pauses the portal until midnight in its time zone and keeps the job for later', async () => {
    const connection = await env.connectPortal({ timeZone: 'America/New_York' });
    await env.sandbox.admin.seed(connection.portalId, { seed: 52, sizes: { contacts: 3_000 } });
    // A private app sees X-HubSpot-RateLimit-Daily(-Remaining): the limiter stops at 80% of it, before
    // any DAILY 429 (the 429 path itself: libs/hubspot portal-transport.integration-spec.ts).
    await env.sandbox.admin.setKnobs(connection.portalId, { dailyLimit: 40 });
    const { jobId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts'] });
    const paused = await waitFor('the portal to be paused', async () => {
      const rows = await env.db.query(`SELECT paused_until, pause_reason FROM sync.fetch_portals WHERE portal_id = $1`, [String(connection.portalId)]);
      return rows.rows[0]?.paused_until ? rows.rows[0] : null;
    }, 120_000, 500);
    expect(paused.pause_reason).toContain('DAILY');
    expect(new Date(paused.paused_until).toISOString()).toBe(nextMidnightIn('America/New_York'));
    const counters = await env.sandbox.admin.counters(connection.portalId);
    expect(counters.http429).toBe(0);
    expect(counters.dailyUsed).toBeLessThanOrEqual(40);
    // Paused: no more requests, and the job is not failed (it resumes after midnight).
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await env.sandbox.admin.counters(connection.portalId)).requests).toBe(counters.requests);
    expect((await env.job(jobId)).status).toBe('running');
  }, 300_000);

  it('on 401 asks auth-gateway to invalidate the token once and retries with the new one', async () => {
    const connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, { seed: 53, sizes: { deals: 20 } });
    // Changing a private app's scopes invalidates its token (OpsHub seed): the fetcher's token now answers 401.
    const rotated = await env.sandbox.admin.updateAppScopes(connection.appId, ALL_READ_SCOPES);
    env.auth.refreshed.set(connection.connectionId, rotated.token as string);
    const { jobId } = await env.queueJob(connection, { kind: 'pipelines', objectTypes: ['deals'], withRun: false });
    expect(await env.waitForJob(jobId, 60_000)).toMatchObject({ status: 'done', error_message: null });
    expect(env.auth.invalidations.filter((i) => i.connectionId === connection.connectionId)).toEqual([{ connectionId: connection.connectionId, accessToken: connection.token }]);
  }, 120_000);
});

/** The next midnight in `timeZone`, computed independently of the fetcher (hour by hour). */
function nextMidnightIn(timeZone: string): string {
  const hourOf = (ms: number) => Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(ms));
  const minuteOf = (ms: number) => Number(new Intl.DateTimeFormat('en-US', { timeZone, minute: '2-digit' }).format(ms));
  let t = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
  while (!(hourOf(t) === 0 && minuteOf(t) === 0)) t += 60_000;
  return new Date(t).toISOString();
}
