import { Connection, FetcherTestEnv } from './support/fetcher-test-env';

async function api<T>(env: FetcherTestEnv, connection: Connection, path: string): Promise<T> {
  const res = await fetch(`${env.sandbox.url}${path}`, { headers: { authorization: `Bearer ${connection.token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** One property of every record of a type, read through HubSpot's list endpoint. */
async function propertyOfAll(env: FetcherTestEnv, connection: Connection, objectType: string, property: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  let after: string | undefined;
  do {
    const page = await api<{ results: { id: string; properties: Record<string, string | null> }[]; paging?: { next?: { after: string } } }>(
      env,
      connection,
      `/crm/v3/objects/${objectType}?limit=100&properties=${property}${after ? `&after=${after}` : ''}`,
    );
    for (const r of page.results) out.set(r.id, r.properties[property] ?? null);
    after = page.paging?.next?.after;
  } while (after);
  return out;
}

/** Every deal's stage. */
async function dealStages(env: FetcherTestEnv, connection: Connection): Promise<Map<string, string>> {
  return (await propertyOfAll(env, connection, 'deals', 'dealstage')) as Map<string, string>;
}

/**
 * Seed 000 semantics (issue 5 §6): deals first — only those in `deal_stages` —, then the companies
 * associated with those deals, then those companies' contacts; only deal-reachable records belong to
 * the run. Criteria naming an unknown property fail the job before any search. Records read from
 * JetStream (the mapper's tables are not needed).
 */
describe('Exante sync (records read from JetStream)', () => {
  const env = new FetcherTestEnv({ database: 'fetcher_exante' });
  let connection: Connection;

  beforeAll(async () => {
    await env.start();
    connection = await env.connectPortal();
    await env.sandbox.admin.seed(connection.portalId, { seed: 41, sizes: { deals: 300, companies: 150, contacts: 600 } });
    await env.startFetcher('fetcher-a');
  }, 120_000);
  afterAll(() => env.stop(), 60_000);

  it('takes the deals in the requested stages, then their companies, then those companies’ contacts — and nothing else', async () => {
    const stages = await dealStages(env, connection);
    const wanted = [...new Set(stages.values())].slice(0, 2);
    const { jobId, runId } = await env.queueJob(connection, {
      kind: 'full_sync',
      mode: 'catalog_only',
      objectTypes: ['deals', 'companies', 'contacts'],
      filters: { dealStages: wanted },
    });
    expect(await env.waitForJob(jobId, 300_000)).toMatchObject({ status: 'done', error_message: null });

    const deals = new Set([...stages].filter(([, s]) => wanted.includes(s)).map(([id]) => id));
    const dealCompanies = (await env.sandbox.admin.associationsTruth(connection.portalId, 'deals', 'companies')).pairs ?? [];
    const companies = new Set(dealCompanies.filter((p) => deals.has(p.fromId)).map((p) => p.toId));
    const companyContacts = (await env.sandbox.admin.associationsTruth(connection.portalId, 'companies', 'contacts')).pairs ?? [];
    const contacts = new Set(companyContacts.filter((p) => companies.has(p.fromId)).map((p) => p.toId));
    expect(deals.size).toBeGreaterThan(0);
    expect(deals.size).toBeLessThan(stages.size);

    const handedOn = (objectType: string) =>
      new Set(env.collector.recordBatches.length ? idsOfRun(env, runId as string, objectType) : []);
    expect(sorted(handedOn('deals'))).toEqual(sorted(deals));
    expect(sorted(handedOn('companies'))).toEqual(sorted(companies));
    expect(sorted(handedOn('contacts'))).toEqual(sorted(contacts));

    // Order: every company batch after the last deal batch, every contact batch after the last company batch.
    const order = env.collector.recordBatches.filter((b) => b.runId === runId).map((b) => b.objectType);
    expect(order.lastIndexOf('deals')).toBeLessThan(order.indexOf('companies'));
    expect(order.lastIndexOf('companies')).toBeLessThan(order.indexOf('contacts'));
    const runs = await env.objectRuns(runId as string);
    for (const run of runs) {
      expect(run.fetch_finished_at).not.toBeNull();
      expect(run.batches_published).toBe(env.collector.recordBatches.filter((b) => b.runId === runId && b.objectType === run.object_type).length);
    }
  }, 600_000);

  it('applies companies’ and contacts’ criteria to the reached records: only matching reachable ones arrive', async () => {
    const stages = await dealStages(env, connection);
    const deals = new Set(stages.keys());
    const dealCompanies = (await env.sandbox.admin.associationsTruth(connection.portalId, 'deals', 'companies')).pairs ?? [];
    const reachedCompanies = new Set(dealCompanies.filter((p) => deals.has(p.fromId)).map((p) => p.toId));
    // A threshold between the reached companies' sizes, so both sides of the criterion are populated.
    const employees = await propertyOfAll(env, connection, 'companies', 'numberofemployees');
    const sizes = [...reachedCompanies].map((id) => Number(employees.get(id))).filter(Number.isFinite).sort((a, b) => a - b);
    const threshold = sizes[Math.floor(sizes.length / 2)];
    const lifecycle = await propertyOfAll(env, connection, 'contacts', 'lifecyclestage');
    const wantedStages = ['lead', 'customer'];

    const { jobId, runId } = await env.queueJob(connection, {
      kind: 'full_sync',
      mode: 'full',
      objectTypes: ['deals', 'companies', 'contacts'],
      filters: {
        criteria: {
          companies: [{ condition: 'GREATER_THAN', field: 'numberofemployees', value: threshold }],
          contacts: [{ condition: 'IN', field: 'lifecyclestage', value: wantedStages }],
        },
      },
    });
    expect(await env.waitForJob(jobId, 300_000)).toMatchObject({ status: 'done', error_message: null });

    const companies = new Set([...reachedCompanies].filter((id) => Number(employees.get(id)) > threshold));
    const companyContacts = (await env.sandbox.admin.associationsTruth(connection.portalId, 'companies', 'contacts')).pairs ?? [];
    const reachedContacts = new Set(companyContacts.filter((p) => companies.has(p.fromId)).map((p) => p.toId));
    const contacts = new Set([...reachedContacts].filter((id) => wantedStages.includes(lifecycle.get(id) ?? '')));
    // The criteria really cut: some reached companies and contacts fail them, some pass.
    expect(companies.size).toBeGreaterThan(0);
    expect(companies.size).toBeLessThan(reachedCompanies.size);
    expect(contacts.size).toBeGreaterThan(0);
    expect(contacts.size).toBeLessThan(reachedContacts.size);

    expect(sorted(new Set(idsOfRun(env, runId as string, 'deals')))).toEqual(sorted(deals));
    expect(sorted(new Set(idsOfRun(env, runId as string, 'companies')))).toEqual(sorted(companies));
    expect(sorted(new Set(idsOfRun(env, runId as string, 'contacts')))).toEqual(sorted(contacts));
  }, 600_000);

  it('fails a job whose criteria name an unknown property before any search, naming the field', async () => {
    const before = await env.sandbox.admin.counters(connection.portalId);
    const { jobId, runId } = await env.queueJob(connection, {
      kind: 'full_sync',
      mode: 'full',
      objectTypes: ['deals', 'companies', 'contacts'],
      filters: { criteria: { deals: [{ condition: 'EQUALS', field: 'no_such_property', value: 'x' }] } },
    });
    const job = await env.waitForJob(jobId, 120_000);
    expect(job.status).toBe('failed');
    expect(job.error_message).toContain('no_such_property');
    const after = await env.sandbox.admin.counters(connection.portalId);
    expect(after.searchRequests).toBe(before.searchRequests);
    const runs = await env.objectRuns(runId as string);
    for (const run of runs) expect(run.fetch_error).toContain('no_such_property');
  }, 300_000);
});

function idsOfRun(env: FetcherTestEnv, runId: string, objectType: string): string[] {
  return env.collector.runRecordIds(runId, objectType);
}

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}
