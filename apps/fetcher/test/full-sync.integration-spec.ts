import { FetcherProcess } from './support/fetcher-process';
import { FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Issue 5 acceptance: a full sync hands on exactly the sandbox's ground truth (ids, last-modified,
 * archived) — with search lag ≤ 10 s, 5% 5xx and 1% connection resets on, and writes (creates,
 * updates, deletes) happening while it runs. Records are read from the JetStream stream (the
 * mapper's tables are not needed).
 */
describe('fetcher full sync against the sandbox (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_full_sync' });
  let fetcher: FetcherProcess | undefined;

  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop(), 60_000);

  async function syncWithFaults(method: 'list' | 'search', seed: number): Promise<void> {
    await fetcher?.stop();
    // Continuous delete sweeps every 5 s so archives made during the sync show up too.
    fetcher = await env.startFetcher(`fetcher-${method}`, { BACKFILL_METHOD: method, DELETE_SWEEP_INTERVAL_MS: '5000' });
    const connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, {
      seed,
      sizes: { contacts: 1500, companies: 500, deals: 600, calls: 200, notes: 200, meetings: 100, tasks: 100, emails: 100 },
      customObjects: [{ name: 'cars', count: 300 }],
      owners: 5,
    });
    await env.sandbox.admin.setKnobs(connection.portalId, { searchLagMaxSeconds: 10, errorRate: 0.05, resetRate: 0.01, latencyMedianMs: 5, latencyP99Ms: 40 });
    const custom = (await env.sandbox.admin.portal(connection.portalId)).customObjects[0].objectTypeId;
    const types = ['contacts', 'companies', 'deals', 'calls', 'notes', 'meetings', 'tasks', 'emails', custom];

    const { jobId, runId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: types });
    // Writes while the sync runs: the search index shows them late; the sweeps must still catch them.
    const created = await env.sandbox.admin.mutate(connection.portalId, 'contacts', {
      create: Array.from({ length: 30 }, (_, i) => ({ properties: { email: `late${i}@example.com`, firstname: `Late ${i}` } })),
    });
    const companies = await env.sandbox.admin.truth(connection.portalId, 'companies');
    await env.sandbox.admin.mutate(connection.portalId, 'companies', { archive: (companies.records ?? []).filter((r) => !r.archived).slice(0, 3).map((r) => r.id) });
    const job = await env.waitForJob(jobId, 420_000);
    expect(job).toMatchObject({ status: 'done', error_message: null });
    await env.sandbox.admin.mutate(connection.portalId, 'contacts', {
      update: created.created.slice(0, 10).map((id) => ({ id, properties: { lastname: 'Updated' } })),
      archive: created.created.slice(10, 12),
    });

    for (const type of types) await env.waitForTruth(connection, type, 120_000, { archivedMayBeUnknown: type === custom });

    const runs = await env.objectRuns(runId as string);
    expect(runs).toHaveLength(types.length);
    for (const run of runs) {
      expect(run.fetch_finished_at).not.toBeNull();
      expect(run.fetch_error).toBeNull();
      expect(run.batches_published).toBeGreaterThan(0);
      expect(run.requests).toBeGreaterThan(0);
    }
    const counters = await env.sandbox.admin.counters(connection.portalId);
    expect(counters.injectedErrors + counters.connectionResets).toBeGreaterThan(0);
    expect(counters.http429).toBe(0);
  }

  it('with id-ordered list pages for the backfill', () => syncWithFaults('list', 7), 900_000);

  it('with the search walk on the create date for the backfill', () => syncWithFaults('search', 8), 900_000);
});
