import { SandboxHandle, startSandbox, waitFor } from '@hubsync/testing';
import { startSyncApiTestApp, SyncApiTestApp, Tenant } from './support/sync-api-test-app';

/**
 * Against the HubSpot sandbox (built JS): POST …/webhooks/subscribe configures the app's target URL
 * and subscriptions through the webhooks API, and a change in the portal reaches sync-api as a signed
 * delivery that becomes a fetch_by_ids job.
 */
describe('webhook subscriptions and signed deliveries against the sandbox', () => {
  let sandbox: SandboxHandle;
  let t: SyncApiTestApp;
  let a: Tenant;
  let portalId: number;
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    portalId = (await sandbox.admin.createPortal()).portalId;
    const app = await sandbox.admin.createPrivateAppToken(portalId, ['crm.objects.contacts.read', 'crm.objects.contacts.write']);
    token = app.token;
    t = await startSyncApiTestApp({
      database: 'sync_api_webhooks_sandbox_spec',
      settings: { hubspotClientSecret: app.clientSecret, hubspotAppId: String(app.appId), hubspotDeveloperApiKey: app.developerApiKey, hubspotApiBaseUrl: sandbox.url },
    });
    a = await t.tenant('hook-sandbox');
    await t.connect(a.organizationUid, String(portalId));
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('subscribes, then turns a signed delivery of a new contact into a fetch_by_ids job', async () => {
    const targetUrl = `${t.baseUrl}/api/integrations/hubspot/webhooks`;
    const res = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/webhooks/subscribe', { target_url: targetUrl });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ target_url: targetUrl, created: expect.any(Number) });
    expect(res.body.subscriptions).toEqual(expect.arrayContaining([expect.objectContaining({ event_type: 'contact.creation', active: true })]));
    expect(res.body.subscriptions).toEqual(expect.arrayContaining([expect.objectContaining({ event_type: 'deal.propertyChange', property_name: 'dealstage' })]));
    const again = await t.call(a.apiKey, 'POST', '/api/integrations/hubspot/webhooks/subscribe', { target_url: targetUrl });
    expect(again.body.created).toBe(0);

    const created = await fetch(`${sandbox.url}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { email: 'webhook@example.com', firstname: 'Web' } }),
    });
    expect(created.status).toBe(201);
    const contactId = String(((await created.json()) as { id: string }).id);
    const jobs = await waitFor(
      'a fetch_by_ids job from the sandbox webhook',
      async () => {
        const rows = await t.dataSource.query(`SELECT filters FROM sync.jobs WHERE organization_uid = $1 AND kind = 'fetch_by_ids'`, [a.organizationUid]);
        return rows.length > 0 ? rows : undefined;
      },
      20_000,
      200,
    );
    expect(jobs[0].filters.ids.contacts).toContain(contactId);
  });

  it('refuses members that are not owners or admins', async () => {
    const member = await t.tenant('hook-member');
    await t.dataSource.query(`UPDATE core.memberships SET role = 'member' WHERE user_uid = $1`, [member.userUid]);
    const res = await t.call(member.apiKey, 'POST', '/api/integrations/hubspot/webhooks/subscribe', {});
    expect(res.status).toBe(403);
  });
});
