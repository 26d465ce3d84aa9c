import { Client } from '@hubspot/api-client';
import { SandboxHandle, waitFor } from '@hubsync/testing';
import { apiError, portalWithToken, startContractSandbox } from './support';

type F = { propertyName: string; operator: string; value?: string; highValue?: string; values?: string[] };

describe('sandbox CRM search through the SDK', () => {
  let sandbox: SandboxHandle;
  let portalId: number;
  let client: Client;
  const ids: Record<string, string> = {};

  const search = (type: string, filters: F[][], extra: Record<string, unknown> = {}) =>
    client.crm.objects.searchApi.doSearch(type, { filterGroups: filters.map((f) => ({ filters: f as never })), limit: 100, ...extra } as never);
  const names = async (filters: F[][], extra: Record<string, unknown> = {}) =>
    (await search('companies', filters, { properties: ['name'], ...extra })).results.map((r) => r.properties.name).sort();

  beforeAll(async () => {
    sandbox = await startContractSandbox();
    ({ portalId, client } = await portalWithToken(sandbox));
    // Semantics only here; the 5/s search limit has its own spec.
    await sandbox.admin.setKnobs(portalId, { limitsEnabled: false });
    const rows: Array<Record<string, string>> = [
      { name: 'Alpha Labs', domain: 'alpha.io', numberofemployees: '10', industry: 'RETAIL', city: 'Stockholm', description: 'Maker of fine tools' },
      { name: 'Beta Systems', domain: 'beta.com', numberofemployees: '50', industry: 'COMPUTER_SOFTWARE', city: 'Berlin', description: 'Cloud software' },
      { name: 'Gamma Analytics', numberofemployees: '200', industry: 'RETAIL', description: 'Data and analytics' },
      { name: 'delta works', domain: 'delta.se', numberofemployees: '5', city: 'stockholm' },
    ];
    const { created } = await sandbox.admin.mutate(portalId, 'companies', { create: rows.map((properties) => ({ properties })), immediate: true });
    rows.forEach((r, i) => (ids[r.name] = created[i]));
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('answers {total, results, paging} with default properties and string values', async () => {
    const res = await search('companies', [], { limit: 2 });
    expect(res.total).toBe(4);
    expect(res.results).toHaveLength(2);
    expect(Object.keys(res.results[0].properties).sort()).toEqual(['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name']);
    expect(res.results[0].createdAt).toBeInstanceOf(Date);
    expect(res.paging?.next?.after).toBe('2');
    const next = await search('companies', [], { limit: 2, after: res.paging?.next?.after });
    expect(next.results.map((r) => r.id)).not.toContain(res.results[0].id);
    expect(next.paging).toBeUndefined();
  });

  it('EQ and NEQ: strings case-insensitive, enumerations exact', async () => {
    expect(await names([[{ propertyName: 'city', operator: 'EQ', value: 'STOCKHOLM' }]])).toEqual(['Alpha Labs', 'delta works']);
    expect(await names([[{ propertyName: 'industry', operator: 'EQ', value: 'retail' }]])).toEqual([]);
    expect(await names([[{ propertyName: 'industry', operator: 'EQ', value: 'RETAIL' }]])).toEqual(['Alpha Labs', 'Gamma Analytics']);
    expect(await names([[{ propertyName: 'city', operator: 'NEQ', value: 'berlin' }]])).toEqual(['Alpha Labs', 'delta works']);
  });

  it('LT, LTE, GT, GTE and BETWEEN compare numbers numerically', async () => {
    expect(await names([[{ propertyName: 'numberofemployees', operator: 'LT', value: '10' }]])).toEqual(['delta works']);
    expect(await names([[{ propertyName: 'numberofemployees', operator: 'LTE', value: '10' }]])).toEqual(['Alpha Labs', 'delta works']);
    expect(await names([[{ propertyName: 'numberofemployees', operator: 'GT', value: '50' }]])).toEqual(['Gamma Analytics']);
    expect(await names([[{ propertyName: 'numberofemployees', operator: 'GTE', value: '50' }]])).toEqual(['Beta Systems', 'Gamma Analytics']);
    expect(await names([[{ propertyName: 'numberofemployees', operator: 'BETWEEN', value: '6', highValue: '50' }]])).toEqual(['Alpha Labs', 'Beta Systems']);
  });

  it('IN / NOT_IN (string IN wants lower-case values), HAS_PROPERTY / NOT_HAS_PROPERTY', async () => {
    expect(await names([[{ propertyName: 'domain', operator: 'IN', values: ['alpha.io', 'delta.se'] }]])).toEqual(['Alpha Labs', 'delta works']);
    expect(await names([[{ propertyName: 'name', operator: 'IN', values: ['Alpha Labs'] }]])).toEqual([]);
    expect(await names([[{ propertyName: 'industry', operator: 'NOT_IN', values: ['RETAIL'] }]])).toEqual(['Beta Systems']);
    expect(await names([[{ propertyName: 'domain', operator: 'HAS_PROPERTY' }]])).toEqual(['Alpha Labs', 'Beta Systems', 'delta works']);
    expect(await names([[{ propertyName: 'domain', operator: 'NOT_HAS_PROPERTY' }]])).toEqual(['Gamma Analytics']);
  });

  it('CONTAINS_TOKEN (with wildcards) and NOT_CONTAINS_TOKEN', async () => {
    expect(await names([[{ propertyName: 'description', operator: 'CONTAINS_TOKEN', value: 'analytics' }]])).toEqual(['Gamma Analytics']);
    expect(await names([[{ propertyName: 'domain', operator: 'CONTAINS_TOKEN', value: '*.se' }]])).toEqual(['delta works']);
    expect(await names([[{ propertyName: 'description', operator: 'NOT_CONTAINS_TOKEN', value: 'software' }]])).toEqual(['Alpha Labs', 'Gamma Analytics']);
  });

  it('ORs filter groups, ANDs filters, matches free-text query, sorts by one property', async () => {
    const res = await names([[{ propertyName: 'industry', operator: 'EQ', value: 'RETAIL' }, { propertyName: 'numberofemployees', operator: 'GT', value: '100' }], [{ propertyName: 'city', operator: 'EQ', value: 'berlin' }]]);
    expect(res).toEqual(['Beta Systems', 'Gamma Analytics']);
    expect(await names([], { query: 'gam' })).toEqual(['Gamma Analytics']);
    const sorted = await search('companies', [], { sorts: [{ propertyName: 'numberofemployees', direction: 'DESCENDING' }], properties: ['name'] });
    expect(sorted.results.map((r) => r.properties.name)).toEqual(['Gamma Analytics', 'Beta Systems', 'Alpha Labs', 'delta works']);
  });

  it('rejects more than 5 groups, 6 filters per group, 18 filters, 2 sorts, limit > 200 and bodies over 3,000 characters', async () => {
    const f: F = { propertyName: 'name', operator: 'HAS_PROPERTY' };
    expect((await apiError(search('companies', Array.from({ length: 6 }, () => [f])))).code).toBe(400);
    expect((await apiError(search('companies', [Array.from({ length: 7 }, () => f)]))).code).toBe(400);
    const tooMany = await apiError(search('companies', [Array(6).fill(f), Array(6).fill(f), Array(6).fill(f), [f]]));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.category).toBe('VALIDATION_ERROR');
    expect((await search('companies', [Array(6).fill(f), Array(6).fill(f), Array(6).fill(f)])).total).toBe(4);
    expect((await apiError(search('companies', [], { sorts: [{ propertyName: 'name' }, { propertyName: 'domain' }] }))).code).toBe(400);
    expect((await apiError(search('companies', [], { limit: 201 }))).code).toBe(400);
    const long = await apiError(search('companies', [[{ propertyName: 'name', operator: 'IN', values: Array.from({ length: 300 }, (_, i) => `name-${i}`) }]]));
    expect(long.code).toBe(400);
    expect(long.body.message).toContain('3000');
    expect((await apiError(search('companies', [[{ propertyName: 'no_such_property', operator: 'EQ', value: 'x' }]]))).code).toBe(400);
  });

  it('never returns archived records', async () => {
    await sandbox.admin.mutate(portalId, 'companies', { archive: [ids['delta works']], immediate: true });
    expect(await names([])).toEqual(['Alpha Labs', 'Beta Systems', 'Gamma Analytics']);
    expect(await names([[{ propertyName: 'city', operator: 'EQ', value: 'stockholm' }]])).toEqual(['Alpha Labs']);
  });

  it('is eventually consistent: a fresh write is seen by get at once and by search only after the lag', async () => {
    await sandbox.admin.setKnobs(portalId, { searchLagMaxSeconds: 1.5 });
    const created = await client.crm.companies.basicApi.create({ properties: { name: 'Lagging Co', city: 'Oslo' }, associations: [] });
    expect((await client.crm.companies.basicApi.getById(created.id)).id).toBe(created.id);
    // The lag is random in [0, 1.5] s; whichever it drew, search converges and get never lagged.
    const eventually = await waitFor('search to see the write', async () => {
      const r = await names([[{ propertyName: 'city', operator: 'EQ', value: 'oslo' }]]);
      return r.length === 1 ? r : undefined;
    }, 5000, 100);
    expect(eventually).toEqual(['Lagging Co']);
    // An update is also lagged: search keeps answering with the old value for a while.
    await client.crm.companies.basicApi.update(created.id, { properties: { city: 'Bergen' } });
    const old = await names([[{ propertyName: 'city', operator: 'EQ', value: 'oslo' }]]);
    expect(old.length === 1 || old.length === 0).toBe(true);
    await waitFor('search to see the update', async () => (await names([[{ propertyName: 'city', operator: 'EQ', value: 'bergen' }]])).length === 1, 5000, 100);
    await sandbox.admin.setKnobs(portalId, { searchLagMaxSeconds: 0 });
  });

  it('misses a fresh write while the lag lasts (deterministic with a long lag)', async () => {
    await sandbox.admin.setKnobs(portalId, { searchLagMaxSeconds: 600 });
    const created = await client.crm.companies.basicApi.create({ properties: { name: 'Invisible Co', city: 'Reykjavik' }, associations: [] });
    const got = await client.crm.companies.basicApi.getById(created.id, ['city']);
    expect(got.properties.city).toBe('Reykjavik');
    const listed = await client.crm.companies.basicApi.getPage(100, undefined, ['city']);
    expect(listed.results.map((r) => r.id)).toContain(created.id);
    // Random lag in [0, 600 s]: the chance it drew < 1 s is ~0.2 %; seeded randomness makes it repeatable.
    expect(await names([[{ propertyName: 'city', operator: 'EQ', value: 'reykjavik' }]])).toEqual([]);
    await sandbox.admin.setKnobs(portalId, { searchLagMaxSeconds: 0 });
  });

  it('caps a query at 10,000 results: paging to after=10000 answers 400; a burst shares one timestamp', async () => {
    const burstPortal = await portalWithToken(sandbox);
    await sandbox.admin.setKnobs(burstPortal.portalId, { limitsEnabled: false });
    const seeded = await sandbox.admin.seed(burstPortal.portalId, { seed: 5, sizes: { contacts: 100 }, burst: { objectType: 'contacts', count: 10_050, at: '2024-03-01T12:00:00.000Z' } });
    expect(seeded.burst?.count).toBe(10_050);
    const s = (extra: Record<string, unknown>) => burstPortal.client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'EQ' as never, value: String(Date.parse('2024-03-01T12:00:00.000Z')) }] }], limit: 200, ...extra } as never);
    const first = await s({});
    expect(first.total).toBe(10_050);
    expect(new Set(first.results.map((r) => r.properties.createdate))).toEqual(new Set(['2024-03-01T12:00:00.000Z']));
    expect(new Set(first.results.map((r) => r.properties.lastmodifieddate))).toEqual(new Set(['2024-03-01T12:00:00.000Z']));
    const last = await s({ after: '9800' });
    expect(last.paging?.next?.after).toBe('10000');
    const beyond = await apiError(s({ after: '10000' }));
    expect(beyond.code).toBe(400);
    expect(beyond.body.category).toBe('VALIDATION_ERROR');
    // The documented way out: tie-break on id within the timestamp.
    const tie = await burstPortal.client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [
        { propertyName: 'createdate', operator: 'EQ' as never, value: String(Date.parse('2024-03-01T12:00:00.000Z')) },
        { propertyName: 'hs_object_id', operator: 'GT' as never, value: last.results[last.results.length - 1].id },
      ] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as never, limit: 200,
    });
    expect(tie.total).toBe(50);
  });
});
