import { FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Issue 5 acceptance: a portal where 25,000 records share one create date and one modify date.
 * Search pages by the create date (backfill) and by the modify date (edge sweep) must get through
 * with the `EQ t AND hs_object_id GT last` tie-break, never paging into the 10,000-result cap.
 */
describe('fetcher on 25,000 identical timestamps (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_identical_ts' });

  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop(), 60_000);

  it('backfills by search and sweeps incrementally past 25,000 records sharing one create and modify timestamp', async () => {
    const connection = await env.connectPortal();
    const burstAt = Date.now() - 5_000; // recent, so the edge sweep (from start − LAG_WINDOW) walks it too
    const seeded = await env.sandbox.admin.seed(connection.portalId, {
      seed: 11,
      sizes: { contacts: 500 },
      burst: { objectType: 'contacts', count: 25_000, at: burstAt },
    });
    expect(seeded.burst?.count).toBe(25_000);
    await env.startFetcher('fetcher-a', { BACKFILL_METHOD: 'search', LAG_WINDOW_MS: '20000' });

    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts'] });
    const job = await env.waitForJob(jobId, 600_000);
    expect(job).toMatchObject({ status: 'done', error_message: null });
    await env.waitForTruth(connection, 'contacts', 60_000);
    expect(env.collector.of(connection.connectionId, 'contacts').size).toBe(25_500);

    // The edge sweep also passed the burst: its cursor is strictly after the shared modify timestamp…
    await waitForCursorBeyond(env, connection.connectionId, 'edge:contacts', burstAt);
    // The lagging sweep reads the group once more when its window reaches it (by design), then passes it.
    await waitForCursorBeyond(env, connection.connectionId, 'lag:contacts', burstAt);
    // …so later sweeps do not read the 25,000 again (a few edge intervals pass without them).
    const deliveries = () => [...env.collector.of(connection.connectionId, 'contacts').values()].reduce((n, r) => n + r.deliveries, 0);
    const before = deliveries();
    await new Promise((r) => setTimeout(r, 5_000));
    expect(deliveries() - before).toBeLessThan(1_000);
    const counters = await env.sandbox.admin.counters(connection.portalId);
    expect(counters.byStatus['400'] ?? 0).toBe(0); // never paged into the 10,000-result cap
    expect(counters.http429).toBe(0);
    const [run] = await env.objectRuns(runId as string);
    expect(run.estimate).toBeGreaterThanOrEqual(25_500);
    expect(run.fetch_finished_at).not.toBeNull();
  }, 900_000);
});

async function waitForCursorBeyond(env: FetcherTestEnv, connectionId: string, streamKey: string, at: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const rows = await env.db.query(`SELECT cursor FROM sync.fetch_checkpoints WHERE connection_id = $1 AND stream_key = $2`, [connectionId, streamKey]);
    const search = rows.rows[0]?.cursor?.search;
    const cursor = rows.rows[0]?.cursor;
    if (search?.mode === 'range' && (search.from > at || (search.from === at && search.inclusive === false)) && !cursor.upTo) return;
    if (Date.now() > deadline) throw new Error(`${streamKey} cursor did not pass ${at}: ${JSON.stringify(rows.rows[0]?.cursor)}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
