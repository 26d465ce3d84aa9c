import { AUTH_CONNECTION_CHECK_SCOPES_V1, AUTH_CONNECTION_GET_V1, AUTH_TOKEN_GET_V1, AUTH_TOKEN_INVALIDATE_V1, AuthConnectionStatusV1, AuthTokenGetReplyV1 } from '@hubsync/contracts';
import { columnsContaining, plaintextFindings, connectionCount, GatewayFixture, startGatewayFixture, Tenant } from './support/gateway-fixture';

const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

// What the default object types (contacts … tasks) require.
const ALL_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'tickets',
  'sales-email-read',
  'crm.objects.owners.read',
];

describe('auth-gateway: private-app tokens (sandbox)', () => {
  let fx: GatewayFixture;
  let tenant: Tenant;
  const seenTokens = new Set<string>();

  beforeAll(async () => {
    fx = await startGatewayFixture({ database: 'auth_gateway_private_app_spec' });
    tenant = await fx.tenant('private-app');
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const connectToken = (accessToken: string, extra: Record<string, unknown> = {}) =>
    fetch(`${fx.url}/api/integrations/hubspot/connections`, {
      method: 'POST',
      headers: { 'x-api-key': tenant.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: accessToken, ...extra }),
    });

  async function newPortalToken(scopes: string[]): Promise<{ portalId: string; token: string; appId: number }> {
    const portal = await fx.sandbox.admin.createPortal({});
    const portalId = String(portal.portalId);
    const { token, appId } = await fx.sandbox.admin.createPrivateAppToken(Number(portalId), scopes);
    seenTokens.add(token);
    return { portalId, token, appId };
  }

  it('connects a private-app token: introspected, scopes recorded, auth_type private_app, never expiring', async () => {
    const { portalId, token } = await newPortalToken(ALL_SCOPES);
    const res = await connectToken(token, { label: 'ops-hub' });
    expect(res.status).toBe(201);
    const connection = await json(res);
    expect(connection).toMatchObject({
      auth_type: 'private_app',
      portal_id: portalId,
      status: 'active',
      connected: true,
      label: 'ops-hub',
      missing_scopes: [],
      organization_uid: tenant.organizationUid,
    });
    expect(connection.scopes).toEqual([...ALL_SCOPES].sort());
    const reply = await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId: connection.id });
    expect(reply).toEqual({ accessToken: token, expiresAt: null, portalId, authType: 'private_app' });
  });

  it('records every required scope the token lacks by name in missing_scopes', async () => {
    const { token } = await newPortalToken(ALL_SCOPES.filter((s) => s !== 'tickets' && s !== 'sales-email-read'));
    const connection = await json(connectToken(token));
    expect(connection.missing_scopes).toEqual(['tickets', 'sales-email-read']);
    expect(connection.required_scopes).toEqual(ALL_SCOPES);
    const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId: connection.id });
    expect(status.missing_scopes).toEqual(['tickets', 'sales-email-read']);

    // The organization changes what it syncs: the requirement (and what is missing) follows.
    const narrower = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_CHECK_SCOPES_V1, { connectionId: connection.id, objectTypes: ['contacts', 'deals'] });
    expect(narrower.missing_scopes).toEqual([]);
    const wider = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_CHECK_SCOPES_V1, { connectionId: connection.id, objectTypes: ['contacts', 'tickets'] });
    expect(wider.missing_scopes).toEqual(['tickets']);
    expect((await json(fetch(`${fx.url}/connections/${connection.id}`, { headers: { 'x-api-key': tenant.apiKey } }))).object_types).toEqual(['contacts', 'tickets']);
    await expect(fx.rpc.request(AUTH_CONNECTION_CHECK_SCOPES_V1, { connectionId: connection.id, objectTypes: ['widgets'] })).rejects.toMatchObject({ kind: 'invalid_request' });

    // Object types chosen by the caller decide the requirement (custom objects need their scopes).
    const { token: custom } = await newPortalToken(['crm.objects.contacts.read', 'crm.objects.owners.read']);
    const withCustom = await json(connectToken(custom, { object_types: ['contacts', '2-123456'] }));
    expect(withCustom.missing_scopes).toEqual(['crm.objects.custom.read', 'crm.schemas.custom.read']);
    const unknownType = await connectToken(custom, { object_types: ['contacts', 'widgets'] });
    expect(unknownType.status).toBe(400);
    expect((await json(unknownType)).message).toContain('widgets');
  });

  it('rejects a token HubSpot does not know with a 400 and writes no connection', async () => {
    const before = await connectionCount(fx);
    const res = await connectToken('pat-na1-00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('HubSpot rejected the private-app access token') });
    const invalidBody = await connectToken('', { extra_field: 1 });
    expect(invalidBody.status).toBe(400);
    expect((await json(invalidBody)).message).toMatch(/access_token.*extra_field|extra_field.*access_token/);
    expect(await connectionCount(fx)).toBe(before);
  });

  it('an invalidated private-app token (rotated after a scope change) puts the connection in needs_reauth at once', async () => {
    const { token, appId } = await newPortalToken(ALL_SCOPES);
    const connection = await json(connectToken(token));

    // A 401 reported for some other token is not about the current one: nothing changes.
    const unrelated = await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_INVALIDATE_V1, { connectionId: connection.id, accessToken: 'pat-na1-some-older-token' });
    expect(unrelated.accessToken).toBe(token);

    // Changing the private app's scopes rotates its token; the old one now answers 401.
    const rotated = (await fx.sandbox.admin.updateAppScopes(appId, [...ALL_SCOPES, 'crm.objects.quotes.read'])).token as string;
    seenTokens.add(rotated);
    expect(rotated).not.toBe(token);
    const probe = await fetch(`${fx.sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(probe.status).toBe(401);

    await expect(fx.rpc.request(AUTH_TOKEN_INVALIDATE_V1, { connectionId: connection.id, accessToken: token })).rejects.toMatchObject({ kind: 'needs_reauth' });
    const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId: connection.id });
    expect(status).toMatchObject({ status: 'needs_reauth', connected: false, last_error: expect.stringContaining('private-app') });
    await expect(fx.rpc.request(AUTH_TOKEN_GET_V1, { connectionId: connection.id })).rejects.toMatchObject({ kind: 'needs_reauth' });

    // Connecting the new token fixes the same connection.
    const again = await json(connectToken(rotated));
    expect(again).toMatchObject({ id: connection.id, status: 'active', last_error: null });
    expect((await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId: connection.id })).accessToken).toBe(rotated);

    // Disconnecting: nothing to revoke for a private app (no refresh token), the stored token goes.
    const removed = await fetch(`${fx.url}/connections/${connection.id}`, { method: 'DELETE', headers: { 'x-api-key': tenant.apiKey } });
    expect(await json(removed)).toEqual({ id: connection.id, status: 'disconnected', refresh_token_revoked: false });
    expect((await fx.db.query(`SELECT 1 FROM integration.tokens WHERE connection_id = $1`, [connection.id])).rowCount).toBe(0);
  });

  it('keeps every token out of the database in plaintext and out of the logs', async () => {
    expect(seenTokens.size).toBeGreaterThanOrEqual(5);
    expect(await plaintextFindings(fx.db, seenTokens)).toEqual([]);
    expect(await columnsContaining(fx.db, 'ops-hub')).toContain('integration.connections.label');
    const logs = fx.logs.text();
    expect(logs).toContain('Connected portal');
    for (const token of seenTokens) expect(logs).not.toContain(token);
  });
});
