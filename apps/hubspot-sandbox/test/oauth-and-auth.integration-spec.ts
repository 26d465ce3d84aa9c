import { SandboxHandle } from '@hubsync/testing';
import { apiError, must, raw, sdk, startContractSandbox } from './support';

const REDIRECT = 'https://app.example.com/oauth/callback';

describe('sandbox OAuth, tokens, 401/403 and the admin API', () => {
  let sandbox: SandboxHandle;
  let portalId: number;
  let app: Awaited<ReturnType<SandboxHandle['admin']['createApp']>>;

  beforeAll(async () => {
    sandbox = await startContractSandbox();
    portalId = (await sandbox.admin.createPortal({ timeZone: 'Europe/Stockholm', currency: 'SEK' })).portalId;
    app = await sandbox.admin.createApp({ appType: 'public', redirectUris: [REDIRECT], scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read'], installPortalId: portalId });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  /** Runs /oauth/authorize with auto-approve and returns the code from the redirect. */
  async function authorizeCode(scope = 'oauth crm.objects.contacts.read', state = 'xyz'): Promise<string> {
    const q = new URLSearchParams({ client_id: app.clientId, redirect_uri: REDIRECT, scope, state, auto_approve: '1' });
    const res = await raw(sandbox, `/oauth/authorize?${q}`);
    expect(res.status).toBe(302);
    const location = new URL(must(res.headers.get('location'), 'location header'));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe(state);
    return must(location.searchParams.get('code'), 'code');
  }

  it('shows a consent page without auto-approve, and approving it redirects with a code', async () => {
    const q = new URLSearchParams({ client_id: app.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.read', state: 's1' });
    const page = await raw(sandbox, `/oauth/authorize?${q}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('crm.objects.contacts.read');
    const form = new URLSearchParams({ client_id: app.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.read', state: 's1', portal_id: String(portalId), decision: 'approve' });
    const decided = await fetch(`${sandbox.url}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' });
    expect(decided.status).toBe(302);
    expect(new URL(must(decided.headers.get('location'), 'location')).searchParams.get('code')).toBeTruthy();
    const denied = await fetch(`${sandbox.url}/oauth/authorize/decision`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(form), decision: 'deny' }), redirect: 'manual' });
    expect(new URL(must(denied.headers.get('location'), 'location')).searchParams.get('error')).toBe('access_denied');
  });

  it('refuses an unregistered redirect_uri and an unknown client on the authorize page', async () => {
    const bad = await raw(sandbox, `/oauth/authorize?${new URLSearchParams({ client_id: app.clientId, redirect_uri: 'https://evil.example.com/cb', scope: 'oauth', auto_approve: '1' })}`);
    expect(bad.status).toBe(400);
    const unknown = await raw(sandbox, `/oauth/authorize?${new URLSearchParams({ client_id: 'nope', redirect_uri: REDIRECT, scope: 'oauth', auto_approve: '1' })}`);
    expect(unknown.status).toBe(400);
  });

  it('exchanges a code once through the SDK; the second use is invalid_grant', async () => {
    const code = await authorizeCode();
    const client = sdk(sandbox);
    const tokens = await client.oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, app.clientSecret);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken.length).toBeGreaterThan(200);
    expect(tokens.accessToken.length).toBeLessThanOrEqual(300);
    expect(tokens.refreshToken).toBeTruthy();
    const again = await apiError(client.oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, app.clientSecret));
    expect(again.code).toBe(400);
    expect(again.body.status).toBe('BAD_AUTH_CODE');
    expect(again.body.error).toBe('invalid_grant');
    // The token works for the granted scope and is introspectable.
    const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(portalId);
    expect(info.appId).toBe(app.appId);
    expect(info.scopes).toEqual(expect.arrayContaining(['oauth', 'crm.objects.contacts.read']));
    expect(info.expiresIn).toBeGreaterThan(1700);
    const page = await sdk(sandbox, tokens.accessToken).crm.contacts.basicApi.getPageWithHttpInfo(1);
    expect(page.httpStatusCode).toBe(200);
    // OAuth calls carry the burst headers but no daily ones.
    expect(page.headers['x-hubspot-ratelimit-max']).toBe('110');
    expect(page.headers['x-hubspot-ratelimit-daily']).toBeUndefined();
  });

  it('requires the redirect_uri used at authorization and the right client secret', async () => {
    const code = await authorizeCode();
    const client = sdk(sandbox);
    const wrongRedirect = await apiError(client.oauth.tokensApi.create('authorization_code', code, 'https://app.example.com/other', app.clientId, app.clientSecret));
    expect(wrongRedirect.body.error).toBe('invalid_grant');
    const wrongSecret = await apiError(client.oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, 'not-the-secret'));
    expect(wrongSecret.code).toBe(400);
    expect(wrongSecret.body.error).toBe('invalid_client');
    // The token endpoint takes form bodies only (as HubSpot's), not JSON.
    const json = await raw(sandbox, '/oauth/v1/token', { method: 'POST', body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: app.clientId, client_secret: app.clientSecret }) });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });

  it('expires unused codes after the configured lifetime', async () => {
    await sandbox.admin.setTokenLifetime(1800, 1);
    const code = await authorizeCode();
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await apiError(sdk(sandbox).oauth.tokensApi.create('authorization_code', code, REDIRECT, app.clientId, app.clientSecret));
    expect(expired.body.status).toBe('EXPIRED_AUTH_CODE');
    await sandbox.admin.setTokenLifetime(1800, 60);
  });

  it('refreshes, reports refresh-token info, and stops working once the refresh token is deleted', async () => {
    const client = sdk(sandbox);
    const first = await client.oauth.tokensApi.create('authorization_code', await authorizeCode(), REDIRECT, app.clientId, app.clientSecret);
    const refreshed = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, first.refreshToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    const info = await client.oauth.refreshTokensApi.get(first.refreshToken);
    expect(info.hubId).toBe(portalId);
    expect(info.clientId).toBe(app.clientId);
    const counters = await sandbox.admin.counters(portalId);
    expect(counters.tokenGrants).toBeGreaterThanOrEqual(2);
    expect(counters.tokenRefreshes).toBeGreaterThanOrEqual(1);
    await client.oauth.refreshTokensApi.archive(first.refreshToken);
    const after = await apiError(client.oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, first.refreshToken));
    expect(after.body.status).toBe('BAD_REFRESH_TOKEN');
    expect(after.body.error).toBe('invalid_grant');
    const denied = await apiError(sdk(sandbox, refreshed.accessToken).crm.contacts.basicApi.getPage());
    expect(denied.code).toBe(401);
  });

  it('answers 401 for unknown and expired tokens, with JSON bodies', async () => {
    const unknown = await apiError(sdk(sandbox, 'not-a-token').crm.contacts.basicApi.getPage());
    expect(unknown.code).toBe(401);
    expect(unknown.headers['content-type']).toMatch(/application\/json/);
    expect(unknown.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(unknown.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const tokens = await sdk(sandbox).oauth.tokensApi.create('authorization_code', await authorizeCode(), REDIRECT, app.clientId, app.clientSecret);
    await sandbox.admin.expireAccessToken(tokens.accessToken);
    const expired = await apiError(sdk(sandbox, tokens.accessToken).crm.contacts.basicApi.getPage());
    expect(expired.code).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
    await expect(sdk(sandbox).oauth.accessTokensApi.get(tokens.accessToken)).rejects.toMatchObject({ code: 404 });
  });

  it('honours a configured token lifetime', async () => {
    await sandbox.admin.setTokenLifetime(120);
    const tokens = await sdk(sandbox).oauth.tokensApi.create('authorization_code', await authorizeCode(), REDIRECT, app.clientId, app.clientSecret);
    expect(tokens.expiresIn).toBe(120);
    await sandbox.admin.setTokenLifetime(1800);
  });

  it('answers 403 MISSING_SCOPES naming the missing scope', async () => {
    const tokens = await sdk(sandbox).oauth.tokensApi.create('authorization_code', await authorizeCode('oauth crm.objects.contacts.read'), REDIRECT, app.clientId, app.clientSecret);
    const err = await apiError(sdk(sandbox, tokens.accessToken).crm.companies.basicApi.getPage());
    expect(err.code).toBe(403);
    expect(err.body.category).toBe('MISSING_SCOPES');
    expect(err.body.message).toContain('crm.objects.companies.read');
    expect(err.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.companies.read']);
  });

  it('introspects private-app tokens and rotates them when scopes change', async () => {
    const { token, appId } = await sandbox.admin.createPrivateAppToken(portalId, ['crm.objects.contacts.read']);
    const info = await raw(sandbox, '/oauth/v2/private-apps/get/access-token-info', { method: 'POST', body: JSON.stringify({ tokenKey: token }) });
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ userId: expect.any(Number), hubId: portalId, appId, scopes: ['crm.objects.contacts.read'] });
    const rotated = await sandbox.admin.updateAppScopes(appId, ['crm.objects.contacts.read', 'crm.objects.companies.read']);
    expect(rotated.token).toBeTruthy();
    expect((await apiError(sdk(sandbox, token).crm.contacts.basicApi.getPage())).code).toBe(401);
    const page = await sdk(sandbox, rotated.token).crm.companies.basicApi.getPageWithHttpInfo();
    expect(page.httpStatusCode).toBe(200);
    // Private apps get the daily headers too.
    expect(page.headers['x-hubspot-ratelimit-daily']).toBe('625000');
    // OAuth introspection does not accept private tokens.
    expect((await apiError(sdk(sandbox).oauth.accessTokensApi.get(must(rotated.token, 'token')))).code).toBe(404);
  });

  it('refuses admin requests without the admin token', async () => {
    const none = await fetch(`${sandbox.url}/__admin/portals`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${sandbox.url}/__admin/portals`, { headers: { 'x-sandbox-admin-token': 'wrong-token-value' } });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { status: string };
    expect(body.status).toBe('error');
  });
});
