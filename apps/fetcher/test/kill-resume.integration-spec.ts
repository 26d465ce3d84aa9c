import { waitFor } from '@hubsync/testing';
import { connect } from 'nats';
import { Connection, FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Issue 5 acceptance: a fetcher child process killed mid-backfill; a second fetcher adopts the
 * portal after the lease TTL and resumes from the checkpoint, no id missing; a paused fetcher that
 * wakes up after losing its lease has its late writes fenced off. Records read from JetStream.
 */
describe('fetcher killed or paused mid-backfill (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_kill_resume' });
  const SLOW = { burstLimit: 40, latencyMedianMs: 20, latencyP99Ms: 60 };

  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop(), 60_000);

  async function seededPortal(seed: number): Promise<Connection> {
    const connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, { seed, sizes: { contacts: 12_000 } });
    await env.sandbox.admin.setKnobs(connection.portalId, SLOW);
    return connection;
  }

  async function progress(runId: string): Promise<{ pages: number; fence: number }> {
    const rows = await env.objectRuns(runId);
    return { pages: rows[0]?.pages ?? 0, fence: Number(rows[0]?.fence ?? 0) };
  }

  it('SIGKILL mid-backfill: a second fetcher resumes from the checkpoint and no id is missing', async () => {
    const connection = await seededPortal(21);
    const a = await env.startFetcher('kill-a', { BACKFILL_METHOD: 'list' });
    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts'] });
    await waitFor('backfill progress', async () => (await progress(runId as string)).pages >= 15, 120_000, 250);
    await a.kill();
    const atKill = await progress(runId as string);

    const b = await env.startFetcher('kill-b', { BACKFILL_METHOD: 'list' });
    const job = await env.waitForJob(jobId, 300_000);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    await env.waitForTruth(connection, 'contacts', 60_000);

    // Resumed, not restarted: besides the page in flight at the kill, nothing was fetched twice.
    const seen = [...env.collector.of(connection.connectionId, 'contacts').values()];
    const repeats = seen.reduce((n, r) => n + r.deliveries, 0) - seen.length;
    expect(repeats).toBeLessThanOrEqual(2 * 100 + 200);
    const after = await progress(runId as string);
    expect(after.fence).toBeGreaterThan(atKill.fence);
    expect(b.output()).toContain(`driving portal ${connection.portalId}`);
    await b.stop();
  }, 600_000);

  it('a paused fetcher that lost its lease stops on waking (lease check, fenced writes as backstop); the successor finishes', async () => {
    const connection = await seededPortal(22);
    const a = await env.startFetcher('pause-a', { BACKFILL_METHOD: 'list' });
    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts'] });
    await waitFor('backfill progress', async () => (await progress(runId as string)).pages >= 10, 120_000, 250);
    a.signal('SIGSTOP');
    const atPause = await progress(runId as string);

    const b = await env.startFetcher('pause-b', { BACKFILL_METHOD: 'list' });
    // b adopts after a's lease expired and raises the fence on the portal's rows.
    await waitFor('takeover by the second fetcher', async () => (await progress(runId as string)).fence > atPause.fence, 60_000, 250);
    a.signal('SIGCONT');
    // a wakes with a page in flight: either its renewal finds the lease gone first, or its checkpoint
    // write is refused by the fence (fencing.integration-spec.ts covers the write path alone).
    await waitFor('the paused fetcher to give the portal up', () => new RegExp(`portal ${connection.portalId}: (lease lost|.*refused for lease revision)`).test(a.output()), 60_000, 250);
    await a.kill();

    const job = await env.waitForJob(jobId, 300_000);
    expect(job.status).toBe('done');
    await env.waitForTruth(connection, 'contacts', 60_000);
    const rows = await env.db.query(`SELECT fence FROM sync.fetch_checkpoints WHERE connection_id = $1`, [connection.connectionId]);
    for (const row of rows.rows) expect(Number(row.fence)).toBeGreaterThan(atPause.fence);
    await b.stop();
  }, 600_000);

  it('SIGTERM: the fetcher checkpoints, releases its lease at once and exits 0; the next one resumes without waiting for the TTL', async () => {
    const connection = await seededPortal(23);
    // A long TTL: if the lease were not released, the next fetcher would have to wait for it.
    const longLease = { BACKFILL_METHOD: 'list', LEASE_TTL_MS: '60000' };
    const a = await env.startFetcher('term-a', longLease);
    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts'] });
    await waitFor('backfill progress', async () => (await progress(runId as string)).pages >= 10, 120_000, 250);
    expect(await a.stop()).toBe(0);

    const nc = await connect({ servers: env.nats.natsUrl });
    try {
      const kv = await nc.jetstream().views.kv('fetcher_portal_leases');
      const entry = await kv.get(`portal.${connection.portalId}`);
      expect(entry === null || entry.operation !== 'PUT').toBe(true);
    } finally {
      await nc.close();
    }
    const [portal] = (await env.db.query(`SELECT driver FROM sync.fetch_portals WHERE portal_id = $1`, [String(connection.portalId)])).rows;
    expect(portal.driver).toBeNull();
    const atStop = await progress(runId as string);

    const b = await env.startFetcher('term-b', longLease);
    const job = await env.waitForJob(jobId, 300_000);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    await env.waitForTruth(connection, 'contacts', 60_000);
    const seen = [...env.collector.of(connection.connectionId, 'contacts').values()];
    expect(seen.reduce((n, r) => n + r.deliveries, 0) - seen.length).toBeLessThanOrEqual(2 * 100 + 200);
    expect((await progress(runId as string)).pages).toBeGreaterThan(atStop.pages);
    await b.stop();
  }, 600_000);
});
