import { FetcherTestEnv } from './support/fetcher-test-env';

describe('debug smoke', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_debug_smoke' });
  beforeAll(() => env.start(), 60_000);
  afterAll(async () => {
    require('fs').writeFileSync('/tmp/fdebug/fetcher.log', env.fetchers.map((f) => f.output()).join('\n-----\n'));
    await env.stop();
  }, 60_000);

  it('syncs a small portal', async () => {
    const connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, { seed: 7, sizes: { contacts: 300, companies: 100, deals: 100 }, owners: 3 });
    await env.startFetcher('fetcher-a');
    const { jobId } = await env.queueJob(connection, { kind: 'full_sync', objectTypes: ['contacts', 'companies', 'deals'] });
    const job = await env.waitForJob(jobId, 60_000);
    expect(job).toMatchObject({ status: 'done' });
  }, 120_000);
});
