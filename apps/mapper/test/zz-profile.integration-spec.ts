import { HubspotRecordV1 } from '@hubsync/contracts';
import { associationBatch, record, recordBatch } from './support/portal-generator';
import { createRun, MapperHarness, startMapperHarness } from './support/mapper-harness';

describe('profile', () => {
  let h: MapperHarness;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_profile');
  });
  afterAll(async () => h?.stop());

  it('profiles', async () => {
    const run = await createRun(h);
    const n = 1000;
    const companies: HubspotRecordV1[] = Array.from({ length: n }, (_, i) => record(1_000_000 + i, { name: `Company ${i}`, domain: `company${i}.example.com`, annual_recurring_revenue: '12000', hubspot_owner_id: '501', lifecyclestage: 'customer' }));
    const contacts = Array.from({ length: n }, (_, i) => record(2_000_000 + i, { email: `p${i}@company${i}.example.com`, firstname: 'P', company: `Company ${i}` }));
    const deals = Array.from({ length: n / 2 }, (_, i) => record(3_000_000 + i, { dealname: `Deal ${i}`, amount: '10', dealstage: 'closedwon', pipeline: 'default' }));
    const stats = new Map<string, { n: number; ms: number }>();
    h.db.onStatement((text, ms) => {
      const key = text.replace(/\s+/g, ' ').slice(0, 110);
      const s = stats.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += ms;
      stats.set(key, s);
    });
    const chunk = <T>(l: T[]) => Array.from({ length: Math.ceil(l.length / 200) }, (_, k) => l.slice(k * 200, (k + 1) * 200));
    const t0 = Date.now();
    const mark = (l: string) => require('node:fs').appendFileSync('/tmp/mapperbench/prof.out', `${l} ${Date.now() - t0}\n`);
    for (const c of chunk(deals)) await h.records.handle(recordBatch(run, 'deals', c));
    const t1 = Date.now();
    mark('deals');
    for (const c of chunk(deals.map((d, i) => [d.id, companies[i].id] as [string, string]))) await h.associations.handle(associationBatch(run, 'deals', 'companies', c));
    const t2 = Date.now();
    mark('dealAssoc');
    for (const c of chunk(companies)) await h.records.handle(recordBatch(run, 'companies', c));
    const t3 = Date.now();
    mark('companies');
    for (const c of chunk(companies.map((co, i) => [co.id, contacts[i].id] as [string, string]))) await h.associations.handle(associationBatch(run, 'companies', 'contacts', c));
    const t4 = Date.now();
    mark('compAssoc');
    for (const c of chunk(contacts)) await h.records.handle(recordBatch(run, 'contacts', c));
    const t5 = Date.now();
    require('node:fs').appendFileSync('/tmp/mapperbench/prof.out', JSON.stringify({ deals: t1 - t0, dealAssoc: t2 - t1, companies: t3 - t2, compAssoc: t4 - t3, contacts: t5 - t4 }) + '\n');
    const top = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
    require('node:fs').appendFileSync('/tmp/mapperbench/prof.out', top.map(([k, v]) => `${Math.round(v.ms)}ms ${v.n}x ${k}`).join('\n') + '\n');
  }, 900_000);
});
