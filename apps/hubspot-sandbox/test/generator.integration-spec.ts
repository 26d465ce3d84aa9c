import { SandboxHandle, waitFor } from '@hubsync/testing';
import { must, portalWithToken, startContractSandbox } from './support';

describe('sandbox data generator, ground truth and live mode', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    sandbox = await startContractSandbox();
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  const options = {
    seed: 42,
    sizes: { companies: 300, contacts: 1500, deals: 400, tickets: 50, products: 10, line_items: 100, quotes: 20, calls: 200, emails: 200, meetings: 100, notes: 200, tasks: 100 },
    customObjects: [{ name: 'subscription', count: 150 }],
    extraProperties: { contacts: 120 },
    dealPipelines: 3,
    dirtyRate: 0.1,
  };

  it('is deterministic: the same seed gives the same records, timestamps and associations', async () => {
    const a = await sandbox.admin.createPortal({ portalId: 501 });
    const b = await sandbox.admin.createPortal({ portalId: 502 });
    const ra = await sandbox.admin.seed(a.portalId, options);
    const rb = await sandbox.admin.seed(b.portalId, options);
    const { p501_subscription: customA, ...standardA } = ra.counts;
    const { p502_subscription: customB, ...standardB } = rb.counts;
    expect(standardA).toEqual(standardB);
    expect(standardA['contacts']).toBe(1500);
    expect([customA, customB]).toEqual([150, 150]);
    for (const type of ['contacts', 'companies', 'deals', 'calls']) {
      expect((await sandbox.admin.truth(a.portalId, type, { records: false })).checksum).toBe((await sandbox.admin.truth(b.portalId, type, { records: false })).checksum);
    }
    const assocA = await sandbox.admin.associationsTruth(a.portalId, 'contacts', 'companies', { pairs: false });
    const assocB = await sandbox.admin.associationsTruth(b.portalId, 'contacts', 'companies', { pairs: false });
    expect(assocA.count).toBeGreaterThan(1000);
    expect(assocA.checksum).toBe(assocB.checksum);
    const other = await sandbox.admin.createPortal({});
    await sandbox.admin.seed(other.portalId, { ...options, seed: 43 });
    expect((await sandbox.admin.associationsTruth(other.portalId, 'contacts', 'companies', { pairs: false })).checksum).not.toBe(assocA.checksum);
  });

  it('produces realistic shapes: dirty data, power-law associations with labels, engagements, pipelines, custom objects, many props', async () => {
    const { portalId, client } = await portalWithToken(sandbox);
    await sandbox.admin.setKnobs(portalId, { limitsEnabled: false });
    await sandbox.admin.seed(portalId, options);
    const companies = await readAll((after) => client.crm.companies.basicApi.getPage(100, after, ['domain']));
    const domains = companies.map((c) => c.properties.domain);
    expect(domains.filter((d) => d === null).length).toBeGreaterThan(0);
    const present = domains.filter((d): d is string => !!d).map((d) => d.toLowerCase().replace(/^www\./, ''));
    expect(new Set(present).size).toBeLessThan(present.length);
    expect(domains.some((d) => d?.startsWith('WWW.'))).toBe(true);
    const contacts = await readAll((after) => client.crm.contacts.basicApi.getPage(100, after, ['email', 'custom_field_001']));
    const emails = contacts.map((c) => c.properties.email);
    expect(emails.filter((e) => e === null).length).toBeGreaterThan(0);
    expect(emails.filter((e) => e !== null && !/^[^@\s]+@[^@\s]+\.[a-z.]+$/.test(e)).length).toBeGreaterThan(0);
    expect(contacts.filter((c) => c.properties.custom_field_001 !== null).length).toBeGreaterThan(100);
    const props = await client.crm.properties.coreApi.getAll('contacts');
    expect(props.results.filter((p) => p.name.startsWith('custom_field_')).length).toBe(120);

    const pairs = must((await sandbox.admin.associationsTruth(portalId, 'companies', 'contacts')).pairs, 'pairs');
    const perCompany = new Map<string, number>();
    for (const p of pairs) perCompany.set(p.fromId, (perCompany.get(p.fromId) ?? 0) + 1);
    const counts = [...perCompany.values()].sort((x, y) => x - y);
    const median = counts[Math.floor(counts.length / 2)];
    expect(counts[counts.length - 1]).toBeGreaterThan(10 * median);
    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
    const decisionMaker = must(labels.results.find((l) => l.label === 'Decision maker'), 'Decision maker label');
    expect(decisionMaker.category).toBe('USER_DEFINED');
    const contactPairs = must((await sandbox.admin.associationsTruth(portalId, 'contacts', 'companies')).pairs, 'pairs');
    expect(contactPairs.some((p) => p.typeIds.includes(decisionMaker.typeId))).toBe(true);
    expect(contactPairs.every((p) => p.typeIds.includes(1) && p.typeIds.includes(279))).toBe(true);
    for (const to of ['contacts', 'companies', 'deals']) {
      expect((await sandbox.admin.associationsTruth(portalId, 'calls', to, { pairs: false })).count).toBeGreaterThan(0);
    }
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(pipelines.results).toHaveLength(4);
    const deals = await client.crm.deals.basicApi.getPage(100, undefined, ['pipeline', 'dealstage', 'hs_deal_stage_probability']);
    const stageIds = new Map(pipelines.results.flatMap((p) => p.stages.map((s) => [s.id, p.id] as const)));
    for (const d of deals.results) expect(stageIds.get(must(d.properties.dealstage, 'dealstage'))).toBe(d.properties.pipeline);
    const schemas = await client.crm.schemas.coreApi.getAll();
    expect(schemas.results.map((s) => s.name)).toEqual(['subscription']);
    const subs = await client.crm.objects.basicApi.getPage(must(schemas.results[0].objectTypeId, 'objectTypeId'), 5, undefined, ['subscription_name']);
    expect(subs.results[0].properties.subscription_name).toMatch(/^subscription \d+$/);
  });

  it('runs live mode: records are created, updated and archived at a rate, and truth follows', async () => {
    const portal = await sandbox.admin.createPortal({});
    await sandbox.admin.seed(portal.portalId, { seed: 9, sizes: { contacts: 200, companies: 40, deals: 40 } });
    const before = await sandbox.admin.truth(portal.portalId, 'contacts', { records: false });
    await sandbox.admin.live(portal.portalId, { ratePerSecond: 200, seed: 1 });
    const status = await waitFor('live mode to make changes', async () => {
      const s = await sandbox.admin.liveStatus(portal.portalId);
      const done = s.done ?? {};
      return done['create'] > 5 && done['update'] > 5 && done['archive'] > 0 ? s : undefined;
    }, 10_000, 100);
    await sandbox.admin.live(portal.portalId, { ratePerSecond: 0 });
    expect(status.running).toBe(true);
    const after = await sandbox.admin.truth(portal.portalId, 'contacts', { records: false });
    expect(after.checksum).not.toBe(before.checksum);
  });
});

async function readAll<T>(page: (after?: string) => Promise<{ results: T[]; paging?: { next?: { after: string } } }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const p = await page(after);
    out.push(...p.results);
    after = p.paging?.next?.after;
  } while (after);
  return out;
}
