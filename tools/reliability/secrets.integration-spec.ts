import { createHash, randomBytes } from 'node:crypto';
import { call, HttpAnswer } from './support/http';
import { changedTables, tableFingerprints } from './support/db-fingerprint';
import { ENDPOINTS, endpointName, pathWithId, PUBLIC_OPERATIONAL_PATHS, SYNC_API_DOC_PATHS } from './support/endpoints';
import { signWebhook } from './support/fuzz-fixture';
import { pipelineDiagnosis, waitForMirror } from './support/pipeline-wait';
import { ReliabilityStack, startReliabilityStack, Tenant } from './support/reliability-stack';
import { scanDatabaseForSecrets, scanLinesForSecrets } from './support/secret-scan';

/**
 * Issue 9 §5: API keys hashed, tokens encrypted (every credential the sandbox issued is searched for
 * in every column of every table and in every log line the services printed, at debug level, during
 * a sync with tokens refreshing every few seconds); OAuth state forgery, replay and expiry rejected;
 * webhooks with a bad signature, a modified body or an old timestamp → 401; nothing answers without
 * a key except health, metrics, the OAuth callback, bridge-token starts and webhooks.
 */
jest.setTimeout(240_000);

const STATE_TTL_SECONDS = 10;
const TOKEN_LIFETIME_SECONDS = 20;
const STATE_SECRET = randomBytes(32).toString('hex');
const PUBLIC_WEBHOOK_URL = 'https://sync.example.com/api/integrations/hubspot/webhooks';
const TYPES = ['contacts', 'companies', 'deals'];

describe('secrets, authentication and signatures', () => {
  let rs: ReliabilityStack;
  let oauthTenant: Tenant;
  let privateTenant: Tenant;
  let portalId: number;
  let restApiKey: string;

  beforeAll(async () => {
    rs = await startReliabilityStack({
      env: { LOG_LEVEL: 'debug', API_RATE_LIMIT_PER_MINUTE: '1000000', WEBHOOK_PUBLIC_URL: PUBLIC_WEBHOOK_URL },
      appEnv: { 'auth-gateway': { OAUTH_STATE_SECRET: STATE_SECRET, OAUTH_STATE_TTL_SECONDS: String(STATE_TTL_SECONDS) } },
    });
    await rs.admin.setTokenLifetime(TOKEN_LIFETIME_SECONDS);
    portalId = (await rs.portal({ sizes: { contacts: 60, companies: 20, deals: 15 } })).portalId;
    oauthTenant = await rs.tenant('secrets-oauth');
    privateTenant = await rs.tenant('secrets-private');
    await rs.connectOAuth(oauthTenant, portalId);
    const { token } = await rs.admin.createPrivateAppToken(portalId, ['crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read', 'crm.objects.owners.read']);
    const connected = await rs.api('auth-gateway', { method: 'POST', path: '/api/integrations/hubspot/connections', apiKey: privateTenant.apiKey, body: { access_token: token, label: 'private' } });
    if (connected.status >= 300) throw new Error(`private-app connect answered ${connected.status}: ${connected.text.slice(0, 300)}`);
    const key = await rs.api('sync-api', { method: 'POST', path: '/api/keys', apiKey: oauthTenant.apiKey, body: { name: 'created over REST' } });
    if (key.status >= 300) throw new Error(`POST /api/keys answered ${key.status}: ${key.text.slice(0, 300)}`);
    restApiKey = key.body.api_key;
  }, 240_000);

  afterAll(async () => {
    await rs?.stop();
  });

  it('nothing answers without a key except health, metrics, the OAuth callback, bridge starts and webhooks', async () => {
    const failures: string[] = [];
    for (const e of ENDPOINTS) {
      const path = e.resource ? pathWithId(e, '00000000-0000-4000-8000-000000000000') : e.path;
      const answer = await rs.api(e.app, { method: e.method, path, body: e.method === 'GET' ? undefined : {}, headOnly: e.sse });
      const expected = e.auth === 'api-key' || e.auth === 'webhook-signature' ? [401] : e.auth === 'api-key-or-bridge' ? [400, 401] : [400];
      if (!expected.includes(answer.status)) failures.push(`${endpointName(e)} without credentials answered ${answer.status}: ${answer.text.slice(0, 160)}`);
    }
    // Every operation sync-api documents, not only the ones this suite knows about.
    const doc = await rs.api('sync-api', { method: 'GET', path: '/docs-json' });
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      if ([...PUBLIC_OPERATIONAL_PATHS, ...SYNC_API_DOC_PATHS].includes(path) || path === '/api/integrations/hubspot/webhooks') continue;
      for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
        const answer = await rs.api('sync-api', { method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'), headOnly: true });
        if (answer.status !== 401) failures.push(`sync-api ${method.toUpperCase()} ${path} (OpenAPI) without a key answered ${answer.status}`);
      }
    }
    // The operational endpoints answer every service's probes without a key, by design.
    for (const app of ['auth-gateway', 'sync-api', 'fetcher', 'mapper'] as const) {
      for (const path of PUBLIC_OPERATIONAL_PATHS) {
        const answer = await rs.api(app, { method: 'GET', path });
        if (answer.status !== 200) failures.push(`${app} ${path} answered ${answer.status} (expected 200 without a key)`);
      }
    }
    expect(failures).toEqual([]);
  });

  describe('OAuth state and bridge tokens', () => {
    /** start (API key, JSON) → sandbox authorize (auto-approve) → the callback URL (not followed). */
    async function callbackUrl(tenant: Tenant): Promise<URL> {
      await rs.admin.setKnobs(null, { autoApprove: true, oauthPortalId: portalId });
      const start = await rs.api('auth-gateway', { method: 'GET', path: '/api/integrations/hubspot/start', apiKey: tenant.apiKey, headers: { accept: 'application/json' } });
      expect(start.status).toBe(200);
      const approved = await fetch(start.body.url, { redirect: 'manual' });
      expect(approved.status).toBe(302);
      return new URL(approved.headers.get('location') as string);
    }
    const callback = (url: URL) => call(`${url.protocol}//${url.host}`, { method: 'GET', path: `${url.pathname}${url.search}`, headers: { accept: 'application/json' } });

    async function rejectedWithoutWrites(what: string, attempt: () => Promise<HttpAnswer>): Promise<void> {
      const before = await tableFingerprints(rs.db);
      const answer = await attempt();
      expect({ what, status: answer.status }).toEqual({ what, status: 400 });
      // The state row of a rejected callback stays as it was; no connection or token is written.
      expect(changedTables(before, await tableFingerprints(rs.db)).filter((t) => t.startsWith('integration.') && t !== 'integration.oauth_states')).toEqual([]);
    }

    it('a forged state (changed payload or signature) is rejected and writes no connection', async () => {
      const tenant = await rs.tenant('forger');
      const url = await callbackUrl(tenant);
      const state = url.searchParams.get('state') as string;
      const [payload, mac] = state.split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      // A payload edited by the browser: a later expiry, and (where the fields exist) another org.
      const edited = { ...decoded, exp: Number(decoded.exp ?? 0) + 3600, ...Object.fromEntries(Object.keys(decoded).filter((k) => /org/i.test(k)).map((k) => [k, oauthTenant.organizationUid])) };
      const forgeries = [
        `${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${mac}`,
        `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
        `${payload}.`,
        'not-a-state',
      ];
      for (const forged of forgeries) {
        const tampered = new URL(url);
        tampered.searchParams.set('state', forged);
        await rejectedWithoutWrites(`forged state ${forged.slice(0, 20)}…`, () => callback(tampered));
      }
      const none = await rs.db.query(`SELECT count(*)::int AS n FROM integration.connections WHERE organization_uid = $1`, [tenant.organizationUid]);
      expect(none.rows[0].n).toBe(0);
      // The authentic state still works afterwards (the rejections were about the forgeries).
      expect((await callback(url)).status).toBe(200);
    });

    it('a replayed callback is rejected', async () => {
      const tenant = await rs.tenant('replayer');
      const url = await callbackUrl(tenant);
      expect((await callback(url)).status).toBe(200);
      await rejectedWithoutWrites('replayed callback', () => callback(url));
    });

    it('an expired state is rejected and writes no connection', async () => {
      const tenant = await rs.tenant('late');
      const url = await callbackUrl(tenant);
      await new Promise((resolve) => setTimeout(resolve, (STATE_TTL_SECONDS + 1) * 1000));
      await rejectedWithoutWrites('expired state', () => callback(url));
      const none = await rs.db.query(`SELECT count(*)::int AS n FROM integration.connections WHERE organization_uid = $1`, [tenant.organizationUid]);
      expect(none.rows[0].n).toBe(0);
    });

    it('a bridge link works once: its reuse is rejected', async () => {
      const tenant = await rs.tenant('bridge');
      const bridge = await rs.api('auth-gateway', { method: 'POST', path: '/connection_bridges', apiKey: tenant.apiKey, body: { integration_id: 'hubspot-v2', label: 'b', redirect_uri: 'https://example.com/done' } });
      expect(bridge.status).toBeLessThan(300);
      const link = new URL(bridge.body.url);
      const first = await call(`${link.protocol}//${link.host}`, { method: 'GET', path: `${link.pathname}${link.search}` });
      expect(first.status).toBe(302);
      const second = await call(`${link.protocol}//${link.host}`, { method: 'GET', path: `${link.pathname}${link.search}` });
      expect(second.status).toBeGreaterThanOrEqual(400);
      expect(second.status).toBeLessThan(500);
    });
  });

  describe('webhook signatures', () => {
    const events = () => JSON.stringify([{ eventId: Date.now(), subscriptionId: 1, portalId, appId: 1, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1, propertyName: 'email', changeSource: 'CRM' }]);
    const post = (body: string, headers: Record<string, string>) => rs.api('sync-api', { method: 'POST', path: '/api/integrations/hubspot/webhooks', body, headers });
    const secret = () => rs.stack.hubspotApp.clientSecret;

    /** Rows that only an accepted delivery adds (the fetcher updates jobs in the background, never adds). */
    const queued = async () =>
      (await rs.db.query(`SELECT (SELECT count(*) FROM sync.webhook_events)::int AS events, (SELECT count(*) FROM sync.jobs)::int AS jobs`)).rows[0];

    async function unauthorizedAndNothingQueued(what: string, body: string, headers: Record<string, string>): Promise<void> {
      const before = await queued();
      const answer = await post(body, headers);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expect({ what, queued: await queued() }).toEqual({ what, queued: before });
    }

    it('a correctly signed delivery is accepted and recorded (the control case)', async () => {
      const body = events();
      const before = await queued();
      const answer = await post(body, signWebhook(secret(), PUBLIC_WEBHOOK_URL, body));
      expect(answer.status).toBe(200);
      // One row per connection of the portal the event names (several tenants connected it).
      expect((await queued()).events).toBeGreaterThan(before.events);
    });

    it('a bad signature, a modified body, an old or missing timestamp → 401 and nothing queued', async () => {
      const body = events();
      const good = signWebhook(secret(), PUBLIC_WEBHOOK_URL, body);
      await unauthorizedAndNothingQueued('signed with another secret', body, signWebhook('not-the-client-secret', PUBLIC_WEBHOOK_URL, body));
      await unauthorizedAndNothingQueued('modified body', body.replace('"email"', '"phone"'), good);
      await unauthorizedAndNothingQueued('signed for another URL', body, signWebhook(secret(), 'https://evil.example.com/api/integrations/hubspot/webhooks', body));
      await unauthorizedAndNothingQueued('timestamp older than 5 minutes', body, signWebhook(secret(), PUBLIC_WEBHOOK_URL, body, Date.now() - 5 * 60_000 - 5_000));
      await unauthorizedAndNothingQueued('no signature', body, {});
      await unauthorizedAndNothingQueued('signature without timestamp', body, { 'x-hubspot-signature-v3': good['x-hubspot-signature-v3'] });
    });
  });

  describe('after a sync with tokens refreshing every few seconds', () => {
    beforeAll(async () => {
      for (const tenant of [oauthTenant, privateTenant]) {
        const run = await rs.api('sync-api', { method: 'POST', path: '/api/ingest/run', apiKey: tenant.apiKey, body: {} });
        if (run.status >= 300) throw new Error(`ingest/run answered ${run.status}: ${run.text.slice(0, 300)}`);
      }
      for (const tenant of [oauthTenant, privateTenant]) {
        await waitForMirror(rs.db, rs.admin, { organizationUid: tenant.organizationUid, portalId, objectTypes: TYPES }, 150_000, () => pipelineDiagnosis(rs.db, tenant.organizationUid));
      }
      // Long enough for the 20-second tokens to be refreshed at least once while sweeps run.
      await new Promise((resolve) => setTimeout(resolve, TOKEN_LIFETIME_SECONDS * 1000));
    }, 200_000);

    async function credentials(): Promise<string[]> {
      const issued = await rs.admin.issued();
      const gatewayEnv = rs.app('auth-gateway').env;
      return [
        ...issued.accessTokens.map((t) => t.token),
        ...issued.refreshTokens.map((t) => t.token),
        ...issued.authorizationCodes.map((c) => c.code),
        ...issued.apps.flatMap((a) => [a.clientSecret, a.developerApiKey]),
        oauthTenant.apiKey,
        privateTenant.apiKey,
        restApiKey,
        gatewayEnv['TOKEN_ENCRYPTION_KEY'],
        STATE_SECRET,
      ];
    }

    it('the sandbox refreshed tokens during the run (so there is something to find)', async () => {
      const counters = await rs.admin.counters(portalId);
      expect(counters.tokenRefreshes).toBeGreaterThan(0);
      const issued = await rs.admin.issued(portalId);
      expect(issued.accessTokens.filter((t) => t.kind === 'oauth').length).toBeGreaterThan(1);
    });

    it('API keys are stored as their SHA-256 only', async () => {
      const keys = await rs.db.query<{ key_hash: string }>(`SELECT key_hash FROM core.api_keys`);
      const hashes = new Set(keys.rows.map((r) => r.key_hash));
      for (const key of [oauthTenant.apiKey, privateTenant.apiKey, restApiKey]) expect(hashes.has(createHash('sha256').update(key, 'utf8').digest('hex'))).toBe(true);
    });

    it('no credential appears in any column of any table', async () => {
      // Control: the scanner finds what is there (an organization's name, a connection label).
      expect((await scanDatabaseForSecrets(rs.db, ['Reliability secrets-oauth'])).length).toBeGreaterThan(0);
      expect(await scanDatabaseForSecrets(rs.db, await credentials())).toEqual([]);
    });

    it('no credential appears in any log line the services printed', async () => {
      const lines = rs.stack.logs.lines();
      expect(lines.length).toBeGreaterThan(100);
      // Control: the logs do carry request details (a path with the org's id), so a leak would show.
      expect(lines.some((l) => l.includes('/api/ingest/run') || l.includes('ingest'))).toBe(true);
      expect(scanLinesForSecrets(lines, await credentials())).toEqual([]);
    });
  });
});
