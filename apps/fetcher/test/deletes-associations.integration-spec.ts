import { ALL_READ_SCOPES, FetcherTestEnv } from './support/fetcher-test-env';

/**
 * Issue 5 acceptance: deletes of a standard and a custom object, a merge and a removed association
 * are detected within one sweep (records and association sets read from JetStream).
 */
describe('deletes, merges and association changes (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_deletes' });

  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop(), 60_000);

  it('detects an archived contact, an archived custom record, a merged company and a removed association within one sweep', async () => {
    // The merge is made through HubSpot's API with the token, which therefore may write companies.
    const connection = await env.connectPortal({ scopes: [...ALL_READ_SCOPES, 'crm.objects.companies.write'] });
    await env.sandbox.admin.seed(connection.portalId, { seed: 31, sizes: { contacts: 300, companies: 80, deals: 40 }, customObjects: [{ name: 'cars', count: 60 }] });
    const custom = (await env.sandbox.admin.portal(connection.portalId)).customObjects[0].objectTypeId;
    await env.startFetcher('fetcher-a');
    const types = ['contacts', 'companies', 'deals', custom];
    const sync = await env.queueJob(connection, { kind: 'full_sync', objectTypes: types });
    expect(await env.waitForJob(sync.jobId, 300_000)).toMatchObject({ status: 'done' });
    for (const type of types) await env.waitForTruth(connection, type, 60_000, { archivedMayBeUnknown: type === custom });
    await expectAssociationsEqualTruth(env, connection.portalId, connection.connectionId, 'companies', 'contacts');

    // Changes: a deleted contact, a deleted custom record, a merge of two companies, a removed association.
    const contacts = await env.sandbox.admin.truth(connection.portalId, 'contacts');
    const cars = await env.sandbox.admin.truth(connection.portalId, custom);
    const pairs = (await env.sandbox.admin.associationsTruth(connection.portalId, 'companies', 'contacts')).pairs ?? [];
    const deletedContact = (contacts.records ?? []).filter((r) => !r.archived)[0].id;
    const deletedCar = (cars.records ?? []).filter((r) => !r.archived)[0].id;
    const removed = pairs.find((p) => p.toId !== deletedContact) as { fromId: string; toId: string };
    const companyIds = [...new Set(pairs.map((p) => p.fromId))].filter((id) => id !== removed.fromId);
    const [primary, merged] = companyIds;
    await env.sandbox.admin.mutate(connection.portalId, 'contacts', { archive: [deletedContact], immediate: true });
    await env.sandbox.admin.mutate(connection.portalId, custom, { archive: [deletedCar], immediate: true });
    await env.sandbox.admin.associations(connection.portalId, { remove: [{ fromType: 'companies', fromId: removed.fromId, toType: 'contacts', toId: removed.toId }] });
    const merge = await fetch(`${env.sandbox.url}/crm/v3/objects/companies/merge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ primaryObjectId: primary, objectIdToMerge: merged }),
    });
    expect(merge.status).toBe(200);

    // One delete sweep and one association sweep.
    const deletes = await env.queueJob(connection, { kind: 'delete_sweep', objectTypes: ['contacts', 'companies', custom], withRun: false });
    expect(await env.waitForJob(deletes.jobId, 120_000)).toMatchObject({ status: 'done' });
    const sweep = await env.queueJob(connection, { kind: 'association_sweep', objectTypes: ['companies', 'contacts'], withRun: false });
    expect(await env.waitForJob(sweep.jobId, 120_000)).toMatchObject({ status: 'done' });

    expect(env.collector.of(connection.connectionId, 'contacts').get(deletedContact)?.archived).toBe(true);
    expect(env.collector.of(connection.connectionId, custom).get(deletedCar)?.archived).toBe(true);
    expect(env.collector.of(connection.connectionId, 'companies').get(merged)?.archived).toBe(true);
    const sets = env.collector.associationSets(connection.connectionId, 'companies', 'contacts');
    expect([...(sets.get(removed.fromId) ?? [])].some((edge) => edge.startsWith(`${removed.toId}:`))).toBe(false);
    expect(sets.has(merged)).toBe(false);
    await expectAssociationsEqualTruth(env, connection.portalId, connection.connectionId, 'companies', 'contacts');
    for (const type of ['contacts', 'companies']) await env.waitForTruth(connection, type, 30_000);
    const sweepEnds = env.collector.associationBatches.filter((b) => b.connectionId === connection.connectionId && b.sweepComplete && b.fromType === 'companies' && b.toType === 'contacts');
    expect(sweepEnds.length).toBeGreaterThanOrEqual(2); // the full sync's sweep and this one
  }, 600_000);
});

async function expectAssociationsEqualTruth(env: FetcherTestEnv, portalId: number, connectionId: string, from: string, to: string): Promise<void> {
  const truth = await env.sandbox.admin.associationsTruth(portalId, from, to);
  const expected = new Map<string, Set<string>>();
  for (const p of truth.pairs ?? []) {
    const set = expected.get(p.fromId) ?? new Set<string>();
    for (const t of p.typeIds) set.add(`${p.toId}:${t}`);
    expected.set(p.fromId, set);
  }
  const actual = env.collector.associationSets(connectionId, from, to);
  const describe = (m: Map<string, Set<string>>) => [...m].map(([k, v]) => `${k}->${[...v].sort().join(',')}`).sort();
  expect(describe(actual)).toEqual(describe(expected));
}
