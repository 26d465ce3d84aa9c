import { createHmac } from 'node:crypto';
import { AUTH_CONNECTION_GET_V1, AUTH_TOKEN_GET_V1, AUTH_TOKEN_INVALIDATE_V1, AuthConnectionStatusV1, AuthTokenGetReplyV1 } from '@hubsync/contracts';
import { columnsContaining, plaintextFindings, connectionCount, GatewayFixture, startGatewayFixture, storedTokens } from './support/gateway-fixture';

/** Response bodies of this API are JSON objects; `any` keeps the assertions readable. */
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

/** Re-signs an OAuth state with the fixture's secret (to forge an expired but authentic one). */
function resign(state: string, secret: string, change: (payload: Record<string, unknown>) => void): string {
  const payload = JSON.parse(Buffer.from(state.split('.')[0], 'base64url').toString('utf8'));
  change(payload);
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`oauth-state.${body}`, 'utf8').digest('base64url');
  return `${body}.${mac}`;
}

describe('auth-gateway: OAuth install, bridges, connections (sandbox)', () => {
  let fx: GatewayFixture;
  const seenTokens: string[] = [];

  beforeAll(async () => {
    fx = await startGatewayFixture({ database: 'auth_gateway_oauth_spec', env: { OAUTH_RETURN_TO_ORIGINS: 'https://app.example.com, https://yourapp.example.com' } });
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const api = (path: string, apiKey: string | undefined, init: RequestInit = {}) =>
    fetch(`${fx.url}${path}`, { ...init, redirect: 'manual', headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) } });

  /** start (JSON) → sandbox authorize → the callback URL the browser would be sent to (not followed). */
  async function callbackUrl(apiKey: string, query = ''): Promise<URL> {
    const start = await api(`/api/integrations/hubspot/start${query}`, apiKey, { headers: { accept: 'application/json' } });
    expect(start.status).toBe(200);
    const { url } = await json(start);
    const approved = await fetch(url, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    return new URL(approved.headers.get('location') as string);
  }

  async function remember(connectionId: string) {
    const tokens = await storedTokens(fx, connectionId);
    if (tokens) seenTokens.push(tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : []));
  }

  it('start → authorize (auto-approve) → callback stores an active connection with the granted scopes', async () => {
    const tenant = await fx.tenant('install');
    const res = await fx.oauthConnect(tenant);
    expect(res.status).toBe(200);
    const { connection } = await json(res);
    expect(connection).toMatchObject({
      connected: true,
      status: 'active',
      auth_type: 'oauth',
      portal_id: String(fx.portalId),
      organization_uid: tenant.organizationUid,
      missing_scopes: [],
      last_error: null,
    });
    expect(connection.scopes).toEqual(expect.arrayContaining(['crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read', 'tickets']));
    expect(new Date(connection.connected_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    await remember(connection.id);

    const viaRest = await api(`/connections/${connection.id}`, tenant.apiKey);
    expect(viaRest.status).toBe(200);
    expect(await json(viaRest)).toMatchObject({ id: connection.id, status: 'active', scopes: connection.scopes });

    const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId: connection.id });
    expect(status).toEqual({
      connected: true,
      connection_id: connection.id,
      portal_id: String(fx.portalId),
      auth_type: 'oauth',
      status: 'active',
      scopes: connection.scopes,
      missing_scopes: [],
      last_error: null,
      connected_at: connection.connected_at,
    });

    const token = await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId: connection.id });
    expect(token).toMatchObject({ portalId: String(fx.portalId), authType: 'oauth' });
    expect(token.accessToken.length).toBeGreaterThan(20);
    expect(new Date(token.expiresAt as string).getTime()).toBeGreaterThan(Date.now());
    // The token works against the portal's API.
    const account = await fetch(`${fx.sandbox.url}/account-info/v3/details`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    expect(account.status).toBe(200);
  });

  it('answers a 302 to HubSpot’s authorize page for browsers and { url } for JSON callers, with scopes and state', async () => {
    const tenant = await fx.tenant('redirect');
    const res = await api('/api/integrations/hubspot/start?object_types=contacts,2-123', tenant.apiKey, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location') as string);
    expect(url.origin + url.pathname).toBe(`${fx.sandbox.url}/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe(fx.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(fx.env['HUBSPOT_REDIRECT_URI']);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(['crm.objects.contacts.read', 'crm.objects.owners.read', 'crm.objects.custom.read', 'crm.schemas.custom.read']);
    expect(url.searchParams.get('optional_scope')?.split(' ')).toEqual(['crm.schemas.contacts.read']);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const asJson = await api('/api/integrations/hubspot/start', tenant.apiKey, { headers: { accept: 'application/json' } });
    expect(asJson.status).toBe(200);
    expect((await json(asJson)).url).toContain('/oauth/authorize?');

    const bad = await api('/api/integrations/hubspot/start?object_types=widgets', tenant.apiKey, { headers: { accept: 'application/json' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toContain('widgets');
  });

  it('sends the browser back to return_to with the connection id', async () => {
    const tenant = await fx.tenant('return-to');
    const res = await fx.oauthConnect(tenant, `?return_to=${encodeURIComponent('https://app.example.com/done?x=1')}`);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') as string);
    expect(back.origin + back.pathname).toBe('https://app.example.com/done');
    expect(back.searchParams.get('x')).toBe('1');
    const id = back.searchParams.get('connection_id') as string;
    const connection = await json(api(`/connections/${id}`, tenant.apiKey));
    expect(connection).toMatchObject({ status: 'active', organization_uid: tenant.organizationUid });
    await remember(id);
  });

  it('refuses a return_to or bridge redirect_uri outside OAUTH_RETURN_TO_ORIGINS, naming the origin', async () => {
    const tenant = await fx.tenant('return-to-origin');
    const start = await api(`/api/integrations/hubspot/start?return_to=${encodeURIComponent('https://evil.example.net/steal')}`, tenant.apiKey, { headers: { accept: 'application/json' } });
    expect(start.status).toBe(400);
    expect((await json(start)).message).toContain('return_to origin https://evil.example.net is not allowed');
    const bridge = await api('/connection_bridges', tenant.apiKey, {
      method: 'POST',
      body: JSON.stringify({ integration_id: 'hubspot-v2', label: 'x', redirect_uri: 'http://app.example.com/done' }),
    });
    expect(bridge.status).toBe(400);
    expect((await json(bridge)).message).toContain('redirect_uri origin http://app.example.com is not allowed');
    const bridges = await fx.db.query(`SELECT count(*)::int AS n FROM integration.bridges WHERE organization_uid = $1`, [tenant.organizationUid]);
    expect(bridges.rows[0].n).toBe(0);
  });

  it('rejects a tampered, replayed or expired state with a 4xx and writes no connection', async () => {
    const tenant = await fx.tenant('state');
    const other = await fx.tenant('state-other');
    const secret = fx.env['OAUTH_STATE_SECRET'];

    // Tampered: the state re-bound to another organization without the secret.
    const tamperedFlow = await callbackUrl(tenant.apiKey);
    const state = tamperedFlow.searchParams.get('state') as string;
    const [body, mac] = state.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.o = other.organizationUid;
    tamperedFlow.searchParams.set('state', `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`);
    const before = await connectionCount(fx);
    const tampered = await fetch(tamperedFlow, { redirect: 'manual' });
    expect(tampered.status).toBe(400);
    expect(await json(tampered)).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('state is invalid') });
    // Authentic signature but bound to another user/org than the stored nonce → rejected too.
    tamperedFlow.searchParams.set('state', resign(state, secret, (p) => (p['o'] = other.organizationUid)));
    expect((await fetch(tamperedFlow, { redirect: 'manual' })).status).toBe(400);
    expect(await connectionCount(fx)).toBe(before);

    // Replay: the first callback succeeds, the same URL again is refused.
    const flow = await callbackUrl(tenant.apiKey);
    const first = await fetch(flow, { redirect: 'manual' });
    expect(first.status).toBe(200);
    await remember((await json(first)).connection.id);
    const countAfterFirst = await connectionCount(fx);
    const replay = await fetch(flow, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect((await json(replay)).message).toContain('already used');
    expect(await connectionCount(fx)).toBe(countAfterFirst);

    // Expired: an authentic state whose expiry has passed (re-signed with the secret)…
    const tenant2 = await fx.tenant('state-expired');
    const expiredFlow = await callbackUrl(tenant2.apiKey);
    expiredFlow.searchParams.set('state', resign(expiredFlow.searchParams.get('state') as string, secret, (p) => (p['exp'] = Math.floor(Date.now() / 1000) - 1)));
    const expired = await fetch(expiredFlow, { redirect: 'manual' });
    expect(expired.status).toBe(400);
    expect((await json(expired)).message).toContain('expired');
    // …and one whose stored nonce has expired (the database enforces the TTL as well).
    const lateFlow = await callbackUrl(tenant2.apiKey);
    await fx.db.query(`UPDATE integration.oauth_states SET expires_at = now() - interval '1 second' WHERE organization_uid = $1 AND consumed_at IS NULL`, [tenant2.organizationUid]);
    const late = await fetch(lateFlow, { redirect: 'manual' });
    expect(late.status).toBe(400);
    expect((await fx.db.query(`SELECT 1 FROM integration.connections WHERE organization_uid = $1`, [tenant2.organizationUid])).rowCount).toBe(0);
  });

  it('turns a HubSpot error parameter or a rejected code into a 400 with no connection', async () => {
    const tenant = await fx.tenant('hubspot-error');
    const denied = await callbackUrl(tenant.apiKey);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('error_description', 'The user declined');
    const res = await fetch(denied, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain('access_denied');

    const badCode = await callbackUrl(tenant.apiKey);
    badCode.searchParams.set('code', 'not-a-real-code');
    const rejected = await fetch(badCode, { redirect: 'manual' });
    expect(rejected.status).toBe(400);
    expect((await json(rejected)).message).toContain('HubSpot did not accept the authorization');
    expect((await fx.db.query(`SELECT 1 FROM integration.connections WHERE organization_uid = $1`, [tenant.organizationUid])).rowCount).toBe(0);
  });

  it('reconnecting the same portal updates that connection and clears needs_reauth', async () => {
    const tenant = await fx.tenant('reconnect');
    const first = (await json(fx.oauthConnect(tenant))).connection;
    const tokens = await storedTokens(fx, first.id);
    await fx.sandbox.admin.revokeRefreshToken(tokens?.refreshToken as string);
    // A 401 on the current token makes the gateway refresh; the revoked grant → needs_reauth.
    await expect(fx.rpc.request(AUTH_TOKEN_INVALIDATE_V1, { connectionId: first.id, accessToken: tokens?.accessToken })).rejects.toMatchObject({ kind: 'needs_reauth' });
    const broken = await json(api(`/connections/${first.id}`, tenant.apiKey));
    expect(broken).toMatchObject({ status: 'needs_reauth', connected: false, last_error: expect.stringContaining('refresh token') });

    const again = (await json(fx.oauthConnect(tenant))).connection;
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ status: 'active', connected: true, last_error: null });
    const list = await json(api('/connections', tenant.apiKey));
    expect(list.data.map((c: { id: string }) => c.id)).toEqual([first.id]);
    const token = await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId: first.id });
    expect(token.accessToken).not.toBe(tokens?.accessToken);
    await remember(first.id);
  });

  it('bridges: a one-time browser link into the flow that lands on redirect_uri with the connection id', async () => {
    const tenant = await fx.tenant('bridge');
    const unknown = await api('/connection_bridges', tenant.apiKey, {
      method: 'POST',
      body: JSON.stringify({ integration_id: 'salesforce', label: 'x', redirect_uri: 'https://yourapp.example.com/callback' }),
    });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).message).toContain('hubspot-v2');

    const created = await api('/connection_bridges', tenant.apiKey, {
      method: 'POST',
      body: JSON.stringify({ integration_id: 'hubspot-v2', label: 'hubspot-production', redirect_uri: 'https://yourapp.example.com/callback' }),
    });
    expect(created.status).toBe(201);
    const bridge = await json(created);
    expect(bridge).toMatchObject({ id: expect.any(String), url: expect.stringContaining('/api/integrations/hubspot/start?bridge=') });

    // A browser: no headers at all.
    const toHubSpot = await fetch(bridge.url, { redirect: 'manual' });
    expect(toHubSpot.status).toBe(302);
    const approved = await fetch(toHubSpot.headers.get('location') as string, { redirect: 'manual' });
    const done = await fetch(approved.headers.get('location') as string, { redirect: 'manual' });
    expect(done.status).toBe(302);
    const landing = new URL(done.headers.get('location') as string);
    expect(landing.origin + landing.pathname).toBe('https://yourapp.example.com/callback');
    expect(landing.searchParams.get('bridge_id')).toBe(bridge.id);
    const connectionId = landing.searchParams.get('connection_id') as string;
    const connection = await json(api(`/connections/${connectionId}`, tenant.apiKey));
    expect(connection).toMatchObject({ status: 'active', label: 'hubspot-production', organization_uid: tenant.organizationUid });
    await remember(connectionId);

    const before = await connectionCount(fx);
    const reused = await fetch(bridge.url, { redirect: 'manual' });
    expect(reused.status).toBe(410);
    expect(await json(reused)).toMatchObject({ statusCode: 410, message: expect.stringContaining('already used') });
    const forged = await fetch(bridge.url.replace(/bridge=([^.]+)\.(.)/, 'bridge=$1.X'), { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect(await connectionCount(fx)).toBe(before);
  });

  it('requires x-api-key everywhere except the callback and bridge starts; another tenant’s org or connection is a 404', async () => {
    const tenant = await fx.tenant('keys');
    const other = await fx.tenant('keys-other');
    for (const [path, method] of [
      ['/api/integrations/hubspot/start', 'GET'],
      ['/api/integrations/hubspot/connections', 'POST'],
      ['/connections', 'GET'],
      ['/connections/00000000-0000-0000-0000-000000000000', 'GET'],
      ['/connections/00000000-0000-0000-0000-000000000000', 'DELETE'],
      ['/connection_bridges', 'POST'],
    ]) {
      const res = await api(path, undefined, { method, body: method === 'POST' ? '{}' : undefined });
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 401 });
    }
    const wrongOrg = await api(`/api/integrations/hubspot/start?organization_uid=${other.organizationUid}`, tenant.apiKey, { headers: { accept: 'application/json' } });
    expect(wrongOrg.status).toBe(404);
    const mine = (await json(fx.oauthConnect(tenant))).connection;
    await remember(mine.id);
    expect((await api(`/connections/${mine.id}`, other.apiKey)).status).toBe(404);
    expect((await api(`/connections/${mine.id}`, other.apiKey, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/connections?organization_uid=${tenant.organizationUid}`, other.apiKey)).status).toBe(404);
  });

  it('DELETE /connections/{id} revokes the refresh token at HubSpot and deletes the stored tokens', async () => {
    const tenant = await fx.tenant('delete');
    const connection = (await json(fx.oauthConnect(tenant))).connection;
    const tokens = await storedTokens(fx, connection.id);
    const refreshToken = tokens?.refreshToken as string;
    expect(refreshToken).toEqual(expect.any(String));
    seenTokens.push(tokens?.accessToken as string, refreshToken);
    const res = await api(`/connections/${connection.id}`, tenant.apiKey, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: connection.id, status: 'disconnected', refresh_token_revoked: true });
    expect(await storedTokens(fx, connection.id)).toBeNull();
    // HubSpot no longer honours the refresh token.
    const refresh = await fetch(`${fx.sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: fx.clientId, client_secret: fx.env['HUBSPOT_CLIENT_SECRET'] }),
    });
    expect(refresh.status).toBe(400);
    const after = await json(api(`/connections/${connection.id}`, tenant.apiKey));
    expect(after).toMatchObject({ status: 'disconnected', connected: false });
    await expect(fx.rpc.request(AUTH_TOKEN_GET_V1, { connectionId: connection.id })).rejects.toMatchObject({ kind: 'not_found' });
    expect((await json(api('/connections', tenant.apiKey))).data).toEqual([]);
  });

  it('keeps every token out of the database in plaintext and out of the logs', async () => {
    expect(seenTokens.length).toBeGreaterThanOrEqual(8);
    expect(await plaintextFindings(fx.db, seenTokens)).toEqual([]);
    // The scan itself finds what is stored in plaintext (text and bytea): it could fail.
    expect(await columnsContaining(fx.db, 'hubspot-production')).toContain('integration.connections.label');
    const sample = (await fx.db.query(`SELECT substring(access_token_ciphertext from 30 for 12) AS bytes FROM integration.tokens LIMIT 1`)).rows[0];
    expect(await columnsContaining(fx.db, sample.bytes as Buffer)).toContain('integration.tokens.access_token_ciphertext');
    const logs = fx.logs.text();
    expect(logs).toContain('Connected portal');
    for (const token of new Set(seenTokens)) expect(logs).not.toContain(token);
  });
});
