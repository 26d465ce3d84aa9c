import { Client } from '@hubspot/api-client';
import { SandboxHandle } from '@hubsync/testing';
import { apiError, must, portalWithToken, raw, startContractSandbox } from './support';

describe('sandbox CRM objects API through the SDK', () => {
  let sandbox: SandboxHandle;
  let portalId: number;
  let token: string;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startContractSandbox();
    ({ portalId, token, client } = await portalWithToken(sandbox));
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('creates (201), reads, updates and archives (204) a contact; archived only under archived=true', async () => {
    const created = await client.crm.contacts.basicApi.createWithHttpInfo({ properties: { email: 'Jane.Doe@Example.com', firstname: 'Jane' }, associations: [] });
    expect(created.httpStatusCode).toBe(201);
    const c = created.data;
    expect(c.id).toMatch(/^\d+$/);
    expect(Number(c.id)).toBeGreaterThan(2 ** 31);
    expect(c.properties.email).toBe('jane.doe@example.com');
    expect(c.properties.lastname).toBeNull();
    expect(c.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(c.createdAt.getTime())).toBe(false);
    expect(c.archived).toBe(false);

    const got = await client.crm.contacts.basicApi.getById(c.id, ['email', 'firstname', 'nonexistent_prop']);
    expect(got.properties).toMatchObject({ email: 'jane.doe@example.com', firstname: 'Jane', hs_object_id: c.id });
    expect(got.properties).not.toHaveProperty('nonexistent_prop');

    await new Promise((r) => setTimeout(r, 5));
    const updated = await client.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Janet' } });
    expect(updated.properties.firstname).toBe('Janet');
    expect(updated.updatedAt.getTime()).toBeGreaterThan(c.updatedAt.getTime());

    const history = await client.crm.contacts.basicApi.getById(c.id, undefined, ['firstname']);
    expect(history.propertiesWithHistory?.['firstname'].map((h) => h.value)).toEqual(['Janet', 'Jane']);
    expect(history.propertiesWithHistory?.['firstname'][0].timestamp).toBeInstanceOf(Date);

    const archived = await client.crm.contacts.basicApi.archiveWithHttpInfo(c.id);
    expect(archived.httpStatusCode).toBe(204);
    expect((await apiError(client.crm.contacts.basicApi.getById(c.id))).code).toBe(404);
    const back = await client.crm.contacts.basicApi.getById(c.id, undefined, undefined, undefined, true);
    expect(back.archived).toBe(true);
    expect(back.archivedAt).toBeInstanceOf(Date);
    const archivedList = await client.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archivedList.results.map((r) => r.id)).toContain(c.id);
    const liveList = await client.crm.contacts.basicApi.getPage(100);
    expect(liveList.results.map((r) => r.id)).not.toContain(c.id);
  });

  it('validates property values and refuses duplicate contact emails', async () => {
    const bad = await apiError(client.crm.contacts.basicApi.create({ properties: { no_such_property: 'x' }, associations: [] }));
    expect(bad.code).toBe(400);
    expect(bad.body.category).toBe('VALIDATION_ERROR');
    expect(bad.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const option = await apiError(client.crm.deals.basicApi.create({ properties: { dealname: 'x', dealstage: 'not-a-stage' }, associations: [] }));
    expect(option.body.message).toContain('INVALID_OPTION');
    await client.crm.contacts.basicApi.create({ properties: { email: 'dup@example.com' }, associations: [] });
    const dup = await apiError(client.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' }, associations: [] }));
    expect(dup.code).toBe(409);
    expect(dup.body.message).toMatch(/Existing ID: \d+/);
  });

  it('pages list results with limit ≤ 100 and an opaque after cursor', async () => {
    await sandbox.admin.seed(portalId, { seed: 3, sizes: { companies: 230 } });
    const seen = new Set<string>();
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.companies.basicApi.getPage(100, after, ['name', 'domain']);
      expect(page.results.length).toBeLessThanOrEqual(100);
      for (const r of page.results) seen.add(r.id);
      after = page.paging?.next?.after;
      if (after) expect(page.paging?.next?.link).toContain('after=');
      pages++;
    } while (after);
    expect(seen.size).toBe(230);
    expect(pages).toBe(3);
    const tooBig = await apiError(client.crm.companies.basicApi.getPage(101));
    expect(tooBig.code).toBe(400);
    const truth = await sandbox.admin.truth(portalId, 'companies');
    expect(truth.live).toBe(230);
    expect(new Set(truth.records?.map((r) => r.id))).toEqual(seen);
  });

  it('answers 414 for URLs over 8 KB (a long property list belongs in a batch-read body)', async () => {
    const props = Array.from({ length: 400 }, (_, i) => `custom_property_with_a_long_name_${i}`);
    const err = await apiError(client.crm.companies.basicApi.getPage(10, undefined, props));
    expect(err.code).toBe(414);
  });

  it('batch-reads ≤ 100 ids with properties in the body, 207 when some are missing, and by idProperty', async () => {
    const { created } = await sandbox.admin.mutate(portalId, 'contacts', { create: [1, 2, 3].map((i) => ({ properties: { email: `batch${i}@example.com`, firstname: `B${i}` } })), immediate: true });
    const ok = await client.crm.contacts.batchApi.readWithHttpInfo({ inputs: created.map((id) => ({ id })), properties: ['firstname'], propertiesWithHistory: [] });
    expect(ok.httpStatusCode).toBe(200);
    expect(ok.data.results.map((r) => r.properties.firstname).sort()).toEqual(['B1', 'B2', 'B3']);
    expect(ok.data.status).toBe('COMPLETE');
    const partial = await client.crm.contacts.batchApi.readWithHttpInfo({ inputs: [{ id: created[0] }, { id: '1' }], properties: [], propertiesWithHistory: [] });
    expect(partial.httpStatusCode).toBe(207);
    expect((partial.data as { numErrors?: number }).numErrors).toBe(1);
    const byEmail = await client.crm.contacts.batchApi.read({ inputs: [{ id: 'batch2@example.com' }], idProperty: 'email', properties: ['firstname'], propertiesWithHistory: [] });
    expect(byEmail.results[0].properties.firstname).toBe('B2');
    const tooMany = await apiError(client.crm.contacts.batchApi.read({ inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })), properties: [], propertiesWithHistory: [] }));
    expect(tooMany.code).toBe(400);
  });

  it('batch-creates (201), updates (200), upserts and archives (204)', async () => {
    const created = await client.crm.deals.batchApi.createWithHttpInfo({ inputs: [{ properties: { dealname: 'D1', amount: '100' }, associations: [] }, { properties: { dealname: 'D2' }, associations: [] }] });
    expect(created.httpStatusCode).toBe(201);
    const ids = created.data.results.map((r) => r.id);
    const updated = await client.crm.deals.batchApi.updateWithHttpInfo({ inputs: ids.map((id) => ({ id, properties: { amount: '250' } })) });
    expect(updated.httpStatusCode).toBe(200);
    expect(updated.data.results.every((r) => r.properties.amount === '250')).toBe(true);
    const missing = await client.crm.deals.batchApi.updateWithHttpInfo({ inputs: [{ id: ids[0], properties: { amount: '1' } }, { id: '42', properties: { amount: '1' } }] });
    expect(missing.httpStatusCode).toBe(207);
    const upsert = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'email', id: 'upsert@example.com', properties: { firstname: 'Up' } }] });
    expect(upsert.results[0].properties.email).toBe('upsert@example.com');
    const archived = await client.crm.deals.batchApi.archiveWithHttpInfo({ inputs: ids.map((id) => ({ id })) });
    expect(archived.httpStatusCode).toBe(204);
    const truth = await sandbox.admin.truth(portalId, 'deals');
    expect(truth.records?.filter((r) => ids.includes(r.id)).every((r) => r.archived)).toBe(true);
  });

  it('lists first-page associations on list/get (v3 shape)', async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Assoc Co', domain: 'assoc.example.com' }, associations: [] });
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'assoc@example.com' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }] }],
    });
    const got = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ['companies']);
    const types = got.associations?.['companies'].results.map((r) => `${r.id}:${r.type}`).sort();
    expect(types).toEqual([`${company.id}:contact_to_company`, `${company.id}:contact_to_company_unlabeled`]);
  });

  it('merges contacts: primary keeps its id, gets the other one\'s associations; the merged id resolves to it', async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Merge Co' }, associations: [] });
    const a = await client.crm.contacts.basicApi.create({ properties: { email: 'merge-a@example.com', firstname: 'A' }, associations: [] });
    const b = await client.crm.contacts.basicApi.create({
      properties: { email: 'merge-b@example.com', lastname: 'FromB' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }] }],
    });
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    expect(merged.id).toBe(a.id);
    const after = await client.crm.contacts.basicApi.getById(a.id, ['lastname', 'hs_merged_object_ids'], undefined, ['companies']);
    expect(after.properties.lastname).toBe('FromB');
    expect(after.properties.hs_merged_object_ids).toBe(b.id);
    expect(after.associations?.['companies'].results.map((r) => r.id)).toContain(company.id);
    expect((await client.crm.contacts.basicApi.getById(b.id)).id).toBe(a.id);
    const truth = await sandbox.admin.truth(portalId, 'contacts');
    expect(truth.records?.find((r) => r.id === b.id)?.archived).toBe(true);
  });

  it('serves custom objects by objectTypeId and fully qualified name; they have no archived listing', async () => {
    const schema = await client.crm.schemas.coreApi.create({
      name: 'machine', labels: { singular: 'Machine', plural: 'Machines' }, primaryDisplayProperty: 'machine_name',
      requiredProperties: ['machine_name'], searchableProperties: ['machine_name'], secondaryDisplayProperties: [], associatedObjects: ['CONTACT'],
      properties: [{ name: 'machine_name', label: 'Name', type: 'string' as never, fieldType: 'text' }, { name: 'hours', label: 'Hours', type: 'number' as never, fieldType: 'number' }],
    });
    expect(schema.objectTypeId).toMatch(/^2-\d+$/);
    expect(schema.fullyQualifiedName).toBe(`p${portalId}_machine`);
    const typeId = must(schema.objectTypeId, 'objectTypeId');
    const fqn = must(schema.fullyQualifiedName, 'fullyQualifiedName');
    const rec = await client.crm.objects.basicApi.create(typeId, { properties: { machine_name: 'Lathe', hours: '12' }, associations: [] });
    const byName = await client.crm.objects.basicApi.getById(fqn, rec.id, ['machine_name']);
    expect(byName.properties.machine_name).toBe('Lathe');
    await client.crm.objects.basicApi.archive(typeId, rec.id);
    const archived = await client.crm.objects.basicApi.getPage(fqn, 100, undefined, undefined, undefined, undefined, true);
    expect(archived.results).toEqual([]);
    const all = await client.crm.schemas.coreApi.getAll();
    expect(all.results.map((s) => s.objectTypeId)).toEqual([typeId]);
    const props = await client.crm.properties.coreApi.getAll(typeId);
    expect(props.results.map((p) => p.name)).toEqual(expect.arrayContaining(['machine_name', 'hours', 'hs_object_id']));
  });

  it('serves core schemas, properties, pipelines (probability 0–1) and owners', async () => {
    const contactsSchema = await client.crm.schemas.coreApi.getById('contacts');
    expect(contactsSchema.objectTypeId).toBe('0-1');
    const props = await client.crm.properties.coreApi.getAll('deals');
    const stage = must(props.results.find((p) => p.name === 'dealstage'), 'dealstage');
    expect(stage.type).toBe('enumeration');
    expect(stage.options.map((o) => o.value)).toContain('closedwon');
    expect(stage.modificationMetadata?.readOnlyValue).toBe(false);
    const created = await client.crm.properties.coreApi.createWithHttpInfo('contacts', { name: 'favourite_colour', label: 'Favourite colour', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' });
    expect(created.httpStatusCode).toBe(201);
    expect(created.data.hubspotDefined).toBe(false);
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    const stages = pipelines.results.flatMap((p) => p.stages);
    expect(pipelines.results[0].id).toBe('default');
    for (const s of stages) {
      const p = Number(s.metadata?.['probability']);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    const tickets = await client.crm.pipelines.pipelinesApi.getAll('tickets');
    expect(tickets.results[0].stages[0].metadata?.['ticketState']).toBe('OPEN');
    const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 5);
    expect(owners.results.length).toBe(5);
    expect(owners.paging?.next?.after).toBeTruthy();
    expect(owners.results[0].createdAt).toBeInstanceOf(Date);
  });

  it('returns account details and daily usage (raw HTTP: the SDK has no client for them)', async () => {
    const res = await raw(sandbox, '/account-info/v3/details', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ portalId, timeZone: expect.any(String), companyCurrency: 'USD', uiDomain: 'app.hubspot.com' });
    const usage = await raw(sandbox, '/account-info/v3/api-usage/daily/private-apps', { token });
    expect(usage.body.results[0]).toMatchObject({ name: 'private-apps-api-calls-daily', usageLimit: 625_000, fetchStatus: 'SUCCESS' });
    expect(usage.body.results[0].currentUsage).toBeGreaterThan(0);
  });

  it('answers HubSpot-shaped JSON for unknown routes and object types', async () => {
    const route = await raw(sandbox, '/crm/v3/nothing-here', { token });
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toMatch(/application\/json/);
    const type = await apiError(client.crm.objects.basicApi.getPage('not_a_type'));
    expect(type.code).toBe(400);
    expect(type.body.message).toContain('not_a_type');
  });
});
