import { Client, Signature } from '@hubspot/api-client';
import { SandboxHandle, freePort, waitFor } from '@hubsync/testing';
import { IncomingMessage, Server, createServer } from 'node:http';
import { apiError, portalWithToken, sdk, startContractSandbox } from './support';

interface Delivery {
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
  events: Array<Record<string, any>>;
}

describe('sandbox webhooks: settings/subscriptions API and signed, batched, retried deliveries', () => {
  let sandbox: SandboxHandle;
  let receiver: Server;
  let targetUrl: string;
  const deliveries: Delivery[] = [];
  let failNext = 0;

  beforeAll(async () => {
    sandbox = await startContractSandbox();
    const port = await freePort();
    targetUrl = `http://127.0.0.1:${port}/hooks/hubspot`;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.statusCode = 500;
          return res.end('nope');
        }
        deliveries.push({ url: targetUrl, body, headers: req.headers, events: JSON.parse(body) });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  });

  afterAll(async () => {
    await sandbox?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  it('delivers subscribed events in signed batches that the SDK\'s Signature.isValid accepts, and retries failures', async () => {
    const { portalId, client, appId } = await portalWithToken(sandbox);
    const installed = await sandbox.admin.createPrivateAppToken(portalId, ['crm.objects.contacts.read']);
    expect(installed.appId).not.toBe(appId);
    // The webhooks API authenticates with the developer API key (hapikey).
    const dev = new Client({ basePath: sandbox.url, developerApiKey: installed.developerApiKey, numberOfApiCallRetries: 0 });
    expect((await apiError(sdk(sandbox).webhooks.settingsApi.getAll(installed.appId))).code).toBe(401);
    const settings = await dev.webhooks.settingsApi.configure(installed.appId, { targetUrl, throttling: { maxConcurrentRequests: 5 } });
    expect(settings.targetUrl).toBe(targetUrl);
    expect(settings.createdAt).toBeInstanceOf(Date);
    const created = await dev.webhooks.subscriptionsApi.createWithHttpInfo(installed.appId, { eventType: 'contact.creation' as never, active: true });
    expect(created.httpStatusCode).toBe(201);
    await dev.webhooks.subscriptionsApi.create(installed.appId, { eventType: 'contact.propertyChange' as never, propertyName: 'firstname', active: true });
    await dev.webhooks.subscriptionsApi.create(installed.appId, { eventType: 'object.deletion' as never, objectTypeId: '0-1', active: true });
    expect((await dev.webhooks.subscriptionsApi.getAll(installed.appId)).results).toHaveLength(3);
    await sandbox.admin.setKnobs(null, { webhookRetryBaseMs: 100, webhookBatchWindowMs: 100 });

    failNext = 1;
    const contacts = await client.crm.contacts.batchApi.create({ inputs: [1, 2, 3].map((i) => ({ properties: { email: `hook${i}@example.com` }, associations: [] })) });
    await client.crm.contacts.basicApi.update(contacts.results[0].id, { properties: { firstname: 'Renamed', lastname: 'ignored' } });
    await client.crm.contacts.basicApi.archive(contacts.results[1].id);

    const all = await waitFor('5 webhook events', () => {
      const events = deliveries.flatMap((d) => d.events);
      return events.length >= 5 ? events : undefined;
    }, 10_000, 50);
    const byType = (t: string) => all.filter((e) => e.subscriptionType === t);
    expect(byType('contact.creation').map((e) => String(e.objectId)).sort()).toEqual(contacts.results.map((r) => r.id).sort());
    expect(byType('contact.propertyChange')).toEqual([expect.objectContaining({ propertyName: 'firstname', propertyValue: 'Renamed', portalId, appId: installed.appId })]);
    expect(byType('object.deletion')).toEqual([expect.objectContaining({ objectId: Number(contacts.results[1].id), objectTypeId: '0-1' })]);
    // The first delivery failed with 500; its retry says attemptNumber 1.
    expect(all.some((e) => e.attemptNumber === 1)).toBe(true);
    const log = await sandbox.admin.webhookDeliveries(installed.appId);
    expect(log.results.some((d) => d['status'] === 500)).toBe(true);

    for (const d of deliveries) {
      expect(d.events.length).toBeLessThanOrEqual(100);
      const valid = Signature.isValid({
        signatureVersion: 'v3',
        signature: String(d.headers['x-hubspot-signature-v3']),
        clientSecret: installed.clientSecret,
        requestBody: d.body,
        url: d.url,
        method: 'POST',
        timestamp: Number(d.headers['x-hubspot-request-timestamp']),
      });
      expect(valid).toBe(true);
      expect(Signature.isValid({ signatureVersion: 'v3', signature: String(d.headers['x-hubspot-signature-v3']), clientSecret: 'wrong', requestBody: d.body, url: d.url, method: 'POST', timestamp: Number(d.headers['x-hubspot-request-timestamp']) })).toBe(false);
    }
    // Deactivate and delete through the API.
    const subs = await dev.webhooks.subscriptionsApi.getAll(installed.appId);
    const patched = await dev.webhooks.subscriptionsApi.update(Number(subs.results[0].id), installed.appId, { active: false });
    expect(patched.active).toBe(false);
    expect((await dev.webhooks.subscriptionsApi.archiveWithHttpInfo(Number(subs.results[0].id), installed.appId)).httpStatusCode).toBe(204);
    expect((await dev.webhooks.settingsApi.clearWithHttpInfo(installed.appId)).httpStatusCode).toBe(204);
  });
});
