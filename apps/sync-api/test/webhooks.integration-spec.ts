import { computeSignatureV3 } from '../src/webhooks/webhook-signature';
import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

const SECRET = 'test-client-secret';

describe('HubSpot webhook intake (in-process sync-api, real PostgreSQL)', () => {
  let t: SyncApiTestApp;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    t = await startSyncApiTestApp({ database: 'sync_api_webhooks_spec', settings: { hubspotClientSecret: SECRET } });
    a = await t.tenant('hook-a');
    b = await t.tenant('hook-b');
    // One portal connected by two organizations: each gets its own re-read job.
    await t.connect(a.organizationUid, '3001');
    await t.connect(b.organizationUid, '3001');
  });

  afterAll(async () => {
    await t?.close();
  });

  const path = '/api/integrations/hubspot/webhooks';
  function send(events: unknown, options: { timestamp?: number; secret?: string; tamper?: (body: string) => string; url?: string } = {}) {
    const body = JSON.stringify(events);
    const timestamp = String(options.timestamp ?? Date.now());
    const signature = computeSignatureV3(options.secret ?? SECRET, 'POST', options.url ?? `${t.baseUrl}${path}`, body, timestamp);
    return t.call(undefined, 'POST', path, options.tamper ? options.tamper(body) : body, {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    });
  }
  const jobCount = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE kind = 'fetch_by_ids'`))[0].n;

  it('queues one fetch_by_ids job per connection of the portal for a signed batch', async () => {
    const events = [
      { eventId: 1001, portalId: 3001, subscriptionType: 'contact.propertyChange', objectId: 11, propertyName: 'email', occurredAt: Date.now() },
      { eventId: 1002, portalId: 3001, subscriptionType: 'object.creation', objectTypeId: '0-3', objectId: 22, occurredAt: Date.now() },
      { eventId: 1003, portalId: 3001, subscriptionType: 'contact.associationChange', associationType: 'CONTACT_TO_COMPANY', fromObjectId: 11, toObjectId: 33 },
      { eventId: 1004, portalId: 9999, subscriptionType: 'contact.creation', objectId: 1 },
    ];
    const res = await send(events);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 4, duplicates: 0, queued_jobs: 2, unknown_portals: ['9999'] });
    const jobs = await t.dataSource.query(`SELECT organization_uid, object_types, filters, source, status FROM sync.jobs WHERE kind = 'fetch_by_ids' ORDER BY organization_uid`);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job).toMatchObject({ object_types: ['companies', 'contacts', 'deals'], source: 'webhook', status: 'queued' });
      expect(job.filters.ids).toEqual({ companies: ['33'], contacts: ['11'], deals: ['22'] });
    }
    expect(jobs.map((j: { organization_uid: string }) => j.organization_uid).sort()).toEqual([a.organizationUid, b.organizationUid].sort());
  });

  it('ignores a replay of the same events later (de-duplicated by event id in PostgreSQL)', async () => {
    const before = await jobCount();
    const res = await send([{ eventId: 1001, portalId: 3001, subscriptionType: 'contact.propertyChange', objectId: 11 }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 1, duplicates: 2, queued_jobs: 0 });
    expect(await jobCount()).toBe(before);
  });

  it('answers 401 and queues nothing for a bad signature, a modified body, another URL or an old timestamp', async () => {
    const before = await jobCount();
    const fresh = [{ eventId: 2001, portalId: 3001, subscriptionType: 'deal.creation', objectId: 44 }];
    const cases = [
      await send(fresh, { secret: 'wrong-secret' }),
      await send(fresh, { tamper: (body) => body.replace('44', '45') }),
      await send(fresh, { url: `${t.baseUrl}/somewhere-else` }),
      await send(fresh, { timestamp: Date.now() - 5 * 60 * 1000 - 5_000 }),
      await t.call(undefined, 'POST', path, JSON.stringify(fresh)),
    ];
    for (const res of cases) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/^Webhook rejected: /) });
    }
    expect(await jobCount()).toBe(before);
    const stored = await t.dataSource.query(`SELECT count(*)::int AS n FROM sync.webhook_events WHERE event_id = '2001'`);
    expect(stored[0].n).toBe(0);
    // The same events, correctly signed, are accepted afterwards.
    expect((await send(fresh)).body).toMatchObject({ queued_jobs: 2 });
  });

  it('answers 400 naming the field for a signed body that is not a batch of events', async () => {
    const res = await send({ not: 'an array' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('body');
    const bad = await send([{ eventId: 'x', portalId: 3001, subscriptionType: 'contact.creation' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('0.eventId');
  });
});
