import { waitFor } from '@hubsync/testing';
import { Connection, FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Webhook re-reads (issue 7 §7, issue 8 freshness): the driver claims every open fetch_by_ids job of
 * the portal at once, merges their ids per connection and object type into batch reads of ≤ 100 ids
 * and finishes the jobs together; a job with a run still runs alone, and one bad job fails alone.
 */
describe('fetch_by_ids coalescing (messages read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_webhook_coalescing' });
  let connection: Connection;
  let contactIds: string[];
  let companyIds: string[];

  beforeAll(async () => {
    await env.start();
    connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, { seed: 83, sizes: { contacts: 160, companies: 30 } });
    const live = async (type: string) => ((await env.sandbox.admin.truth(connection.portalId, type, { records: true })).records ?? []).filter((r) => !r.archived).map((r) => r.id);
    contactIds = (await live('contacts')).slice(0, 150);
    companyIds = (await live('companies')).slice(0, 12);
  }, 120_000);
  afterAll(() => env.stop(), 60_000);

  /** Inserts webhook-style jobs (no run) in one statement, in this order of created_at. */
  async function insertWebhookJobs(idLists: Record<string, string[]>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, filters] of idLists.entries()) {
      const row = await env.db.query(
        `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, filters, source, created_at)
         VALUES ($1, $2, $3, 'fetch_by_ids', $4, $5, 'webhook', now() + make_interval(secs => $6::int / 1000.0)) RETURNING id`,
        [connection.organizationUid, connection.connectionId, String(connection.portalId), Object.keys(filters).sort(), JSON.stringify({ ids: filters }), i],
      );
      ids.push(row.rows[0].id);
    }
    return ids;
  }

  const jobRows = async (ids: string[]) =>
    (await env.db.query(`SELECT id, status, error_message, finished_at FROM sync.jobs WHERE id = ANY($1::uuid[]) ORDER BY created_at`, [ids])).rows as {
      id: string;
      status: string;
      error_message: string | null;
      finished_at: Date | null;
    }[];

  it('merges every queued webhook job of the portal into batch reads and finishes them together', async () => {
    // 12 deliveries with overlapping ids.
    const lists: Record<string, string[]>[] = [];
    for (let i = 0; i < 12; i++) {
      const contacts = contactIds.slice(i * 12, i * 12 + 15); // overlaps the next job's slice
      const companies = [companyIds[i]];
      lists.push({ contacts, companies });
    }
    const ids = await insertWebhookJobs(lists);
    const withRun = await env.queueJob(connection, { kind: 'fetch_by_ids', objectTypes: ['contacts'], filters: { ids: { contacts: contactIds.slice(0, 3) } }, notify: false });

    await env.startFetcher('fetcher-a', { INCREMENTAL_ENABLED: 'false' });
    const rows = await waitFor('the webhook jobs to finish', async () => {
      const r = await jobRows(ids);
      return r.every((j) => j.status === 'done' || j.status === 'failed') ? r : null;
    }, 90_000, 300);
    expect(rows.map((r) => [r.status, r.error_message])).toEqual(ids.map(() => ['done', null]));
    // Finished in one statement: one timestamp for all twelve.
    expect(new Set(rows.map((r) => r.finished_at?.toISOString())).size).toBe(1);

    const asked = new Set(lists.flatMap((l) => l['contacts']));
    expect(asked.size).toBe(147);
    const seen = (type: string) => env.collector.of(connection.connectionId, type);
    await waitFor('the merged records', async () => ([...asked].every((id) => seen('contacts').has(id)) && companyIds.every((id) => seen('companies').has(id)) ? true : null), 30_000, 200);
    // One read's worth of batches per type, under the oldest job's sweep id, each id handed on once.
    const liveBatches = env.collector.recordBatches.filter((b) => b.connectionId === connection.connectionId && b.runId === null);
    expect(liveBatches.map((b) => [b.objectType, b.sweepId]).sort()).toEqual([
      ['companies', `ids:${ids[0]}`],
      ['contacts', `ids:${ids[0]}`],
    ]);
    expect([...asked].filter((id) => seen('contacts').get(id)?.deliveries !== 1 && !contactIds.slice(0, 3).includes(id))).toEqual([]);

    // The job with a run went alone and reported into its run.
    expect(await env.waitForJob(withRun.jobId, 60_000)).toMatchObject({ status: 'done' });
    expect(env.collector.runRecordIds(withRun.runId as string, 'contacts').sort()).toEqual(contactIds.slice(0, 3).sort());
  }, 240_000);

  it('a job naming an unknown object type fails alone; the jobs merged with it still finish', async () => {
    const ids = await insertWebhookJobs([{ contacts: [contactIds[150 - 1]] }, { widgets: ['1'] }, { companies: [companyIds[0]] }]);
    const rows = await waitFor('the three jobs to finish', async () => {
      const r = await jobRows(ids);
      return r.every((j) => j.status === 'done' || j.status === 'failed') ? r : null;
    }, 90_000, 300);
    expect(rows.map((r) => r.status)).toEqual(['done', 'failed', 'done']);
    expect(rows[1].error_message).toMatch(/widgets/);
    await waitFor('the good jobs’ records', async () => (env.collector.of(connection.connectionId, 'contacts').has(contactIds[149]) ? true : null), 30_000, 200);
  }, 180_000);
});
