import { waitFor } from '@hubsync/testing';
import { ALL_READ_SCOPES, Connection, FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Jobs other than syncs (issue 5 §1, §5): pipelines, schema introspection (custom objects included;
 * a property that appears later queues a backfill of its stream), fetch-by-ids from webhooks.
 * Messages read from JetStream.
 */
describe('pipelines, schema and fetch-by-ids jobs (messages read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_reference_jobs' });
  let connection: Connection;
  let custom: string;

  beforeAll(async () => {
    await env.start();
    connection = await env.connectPortal({ scopes: [...ALL_READ_SCOPES, 'crm.schemas.contacts.write'] });
    await env.sandbox.admin.seed(connection.portalId, { seed: 61, sizes: { contacts: 120, deals: 40 }, customObjects: [{ name: 'boats', count: 20 }], dealPipelines: 2 });
    custom = (await env.sandbox.admin.portal(connection.portalId)).customObjects[0].objectTypeId;
    await env.startFetcher('fetcher-a');
  }, 120_000);
  afterAll(() => env.stop(), 60_000);

  it('publishes the deal and ticket pipelines with their stages', async () => {
    const { jobId } = await env.queueJob(connection, { kind: 'pipelines', objectTypes: ['deals'], withRun: false });
    expect(await env.waitForJob(jobId, 60_000)).toMatchObject({ status: 'done' });
    const published = env.collector.reference.filter((m) => m.subject === 'hubspot.pipelines.v1' && m.payload.connectionId === connection.connectionId);
    expect(published.map((m) => m.payload.objectType)).toEqual(['deals']);
    const res = await fetch(`${env.sandbox.url}/crm/v3/pipelines/deals`, { headers: { authorization: `Bearer ${connection.token}` } });
    const truth = (await res.json()) as { results: { id: string; stages: { id: string }[] }[] };
    expect(published[0].payload.pipelines.map((p: { id: string; stages: { id: string }[] }) => [p.id, p.stages.map((s) => s.id)])).toEqual(truth.results.map((p) => [p.id, p.stages.map((s) => s.id)]));
  }, 120_000);

  it('introspects every type including custom objects, and a property created later queues a backfill of its stream', async () => {
    const sync = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts', custom] });
    expect(await env.waitForJob(sync.jobId, 180_000)).toMatchObject({ status: 'done' });
    const schemas = env.collector.reference.filter((m) => m.subject === 'hubspot.schema.v1' && m.payload.connectionId === connection.connectionId);
    expect(schemas.find((m) => m.payload.objectType === custom)?.payload).toMatchObject({ isCustom: true, objectTypeId: custom });
    expect(schemas.find((m) => m.payload.objectType === 'contacts')?.payload.properties.some((p: { name: string }) => p.name === 'email')).toBe(true);

    const created = await fetch(`${env.sandbox.url}/crm/v3/properties/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'loyalty_tier', label: 'Loyalty tier', type: 'string', fieldType: 'text', groupName: 'contactinformation' }),
    });
    expect(created.status).toBe(201);
    const introspect = await env.queueJob(connection, { kind: 'schema_introspection', objectTypes: ['contacts'], withRun: false });
    expect(await env.waitForJob(introspect.jobId, 60_000)).toMatchObject({ status: 'done' });
    const refresh = await waitFor('a full refresh of contacts', async () => {
      const rows = await env.db.query(`SELECT id, status FROM sync.jobs WHERE connection_id = $1 AND kind = 'full_refresh' AND object_types = '{contacts}'`, [connection.connectionId]);
      return rows.rows[0]?.status === 'done' ? rows.rows[0] : null;
    }, 180_000, 500);
    expect(refresh.status).toBe('done');
    expect(env.collector.reference.some((m) => m.subject === 'hubspot.schema.v1' && m.payload.objectType === 'contacts' && m.payload.properties.some((p: { name: string }) => p.name === 'loyalty_tier'))).toBe(true);
  }, 400_000);

  it('fetches records by id (webhooks) into the job’s run', async () => {
    const truth = await env.sandbox.admin.truth(connection.portalId, 'deals');
    const ids = (truth.records ?? []).filter((r) => !r.archived).slice(0, 5).map((r) => r.id);
    const { jobId, runId } = await env.queueJob(connection, { kind: 'fetch_by_ids', objectTypes: ['deals'], filters: { ids: { deals: [...ids, '99999999999'] } } });
    expect(await env.waitForJob(jobId, 60_000)).toMatchObject({ status: 'done' });
    expect(env.collector.runRecordIds(runId as string, 'deals').sort()).toEqual([...ids].sort());
    const [run] = await env.objectRuns(runId as string);
    expect(run).toMatchObject({ batches_published: 1, fetch_error: null });
    expect(run.fetch_finished_at).not.toBeNull();
  }, 120_000);
});
