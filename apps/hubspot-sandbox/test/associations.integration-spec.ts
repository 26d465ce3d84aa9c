import { Client } from '@hubspot/api-client';
import { SandboxHandle } from '@hubsync/testing';
import { apiError, portalWithToken, startContractSandbox } from './support';

describe('sandbox associations v4 through the SDK', () => {
  let sandbox: SandboxHandle;
  let portalId: number;
  let client: Client;
  let companyId: string;
  let contactIds: string[];

  beforeAll(async () => {
    sandbox = await startContractSandbox();
    ({ portalId, client } = await portalWithToken(sandbox));
    await sandbox.admin.setKnobs(portalId, { limitsEnabled: false });
    companyId = (await sandbox.admin.mutate(portalId, 'companies', { create: [{ properties: { name: 'Big Co' } }], immediate: true })).created[0];
    // 1,203 contacts all on one company: paging beyond 500 per page.
    const batch = Array.from({ length: 1203 }, (_, i) => ({ properties: { email: `c${i}@big.example.com` } }));
    contactIds = (await sandbox.admin.mutate(portalId, 'contacts', { create: batch, immediate: true })).created;
    for (let i = 0; i < contactIds.length; i += 400) {
      await sandbox.admin.associations(portalId, { add: contactIds.slice(i, i + 400).map((id) => ({ fromType: 'companies', fromId: companyId, toType: 'contacts', toId: id })) });
    }
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('pages one object\'s associations at ≤ 500 per page (GET /crm/v4/objects/…/associations/…)', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.associations.v4.basicApi.getPage('companies', companyId, 'contacts', after, 500);
      expect(page.results.length).toBeLessThanOrEqual(500);
      for (const r of page.results) {
        seen.push(String(r.toObjectId));
        expect(r.associationTypes).toEqual([{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }]);
      }
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(contactIds);
    expect((await apiError(client.crm.associations.v4.basicApi.getPage('companies', companyId, 'contacts', undefined, 501))).code).toBe(400);
  });

  it('batch-reads ≤ 1,000 inputs with per-object paging; inputs without associations make it a 207', async () => {
    const res = await client.crm.associations.v4.batchApi.getPageWithHttpInfo('companies', 'contacts', { inputs: [{ id: companyId, after: undefined as never }] });
    expect(res.httpStatusCode).toBe(200);
    const first = res.data.results[0];
    expect(first._from.id).toBe(companyId);
    expect(first.to).toHaveLength(500);
    const cursor = first.paging?.next?.after;
    const second = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: companyId, after: cursor }] });
    expect(String(second.results[0].to[0].toObjectId)).toBe(contactIds[500]);
    const partial = await client.crm.associations.v4.batchApi.getPageWithHttpInfo('contacts', 'companies', { inputs: [{ id: contactIds[0], after: undefined as never }, { id: '999', after: undefined as never }] });
    expect(partial.httpStatusCode).toBe(207);
    const withErrors = partial.data as unknown as { numErrors: number; errors: Array<{ context: Record<string, string[]> }> };
    expect(withErrors.numErrors).toBe(1);
    expect(withErrors.errors[0].context['fromObjectId']).toEqual(['999']);
    expect(partial.data.results[0].to[0].associationTypes[0].typeId).toBe(279);
    const tooMany = await apiError(client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i), after: undefined as never })) }));
    expect(tooMany.code).toBe(400);
  });

  it('creates labelled associations (201), reads labels both ways, and deletes them (204)', async () => {
    const deal = (await sandbox.admin.mutate(portalId, 'deals', { create: [{ properties: { dealname: 'Labelled' } }], immediate: true })).created[0];
    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll('deals', 'companies');
    expect(labels.results).toEqual(expect.arrayContaining([{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }, { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }]));
    const created = await client.crm.associations.v4.basicApi.createWithHttpInfo('deals', deal, 'companies', companyId, [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 5 }]);
    expect(created.httpStatusCode).toBe(201);
    expect(created.data.labels).toEqual(['Primary']);
    const back = await client.crm.associations.v4.basicApi.getPage('companies', companyId, 'deals');
    expect(back.results[0].associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([6, 342]);
    const bad = await apiError(client.crm.associations.v4.basicApi.create('deals', deal, 'companies', companyId, [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }]));
    expect(bad.code).toBe(400);
    const del = await client.crm.associations.v4.basicApi.archiveWithHttpInfo('deals', deal, 'companies', companyId);
    expect(del.httpStatusCode).toBe(204);
    expect((await client.crm.associations.v4.basicApi.getPage('companies', companyId, 'deals')).results).toEqual([]);
  });

  it('batch-creates (201) and batch-archives (204); archived records drop out of association reads', async () => {
    const [c1, c2] = (await sandbox.admin.mutate(portalId, 'contacts', { create: [{ properties: { email: 'x1@ex.com' } }, { properties: { email: 'x2@ex.com' } }], immediate: true })).created;
    const deal = (await sandbox.admin.mutate(portalId, 'deals', { create: [{ properties: { dealname: 'Batch' } }], immediate: true })).created[0];
    const created = await client.crm.associations.v4.batchApi.createWithHttpInfo('deals', 'contacts', {
      inputs: [c1, c2].map((id) => ({ _from: { id: deal }, to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 3 }] })),
    });
    expect(created.httpStatusCode).toBe(201);
    expect(created.data.results).toHaveLength(2);
    await client.crm.contacts.basicApi.archive(c2);
    const after = await client.crm.associations.v4.basicApi.getPage('deals', deal, 'contacts');
    expect(after.results.map((r) => String(r.toObjectId))).toEqual([c1]);
    const truth = await sandbox.admin.associationsTruth(portalId, 'deals', 'contacts');
    expect(truth.pairs).toEqual([{ fromId: deal, toId: c1, typeIds: [3] }]);
    const archived = await client.crm.associations.v4.batchApi.archiveWithHttpInfo('deals', 'contacts', { inputs: [{ _from: { id: deal }, to: [{ id: c1 }] }] });
    expect(archived.httpStatusCode).toBe(204);
    expect((await sandbox.admin.associationsTruth(portalId, 'deals', 'contacts')).count).toBe(0);
  });
});
