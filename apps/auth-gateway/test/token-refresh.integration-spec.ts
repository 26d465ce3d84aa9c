import { AUTH_CONNECTION_GET_V1, AUTH_TOKEN_GET_V1, AUTH_TOKEN_INVALIDATE_V1, AuthConnectionStatusV1, AuthTokenGetReplyV1 } from '@hubsync/contracts';
import { columnsContaining, plaintextFindings, GatewayFixture, startGatewayFixture, storedTokens, Tenant } from './support/gateway-fixture';

const LIFETIME_SECONDS = 8;
const MARGIN_SECONDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `iso` (plus `extraMs`) has passed. */
const until = (iso: string | null, extraMs = 0) => sleep(Math.max(0, new Date(iso as string).getTime() - Date.now() + extraMs));

describe('auth-gateway: token refresh across 3 replicas (sandbox)', () => {
  let fx: GatewayFixture;
  let tenant: Tenant;
  const seenTokens = new Set<string>();

  beforeAll(async () => {
    fx = await startGatewayFixture({
      database: 'auth_gateway_refresh_spec',
      gateways: 3,
      env: { TOKEN_REFRESH_MARGIN_SECONDS: String(MARGIN_SECONDS), TOKEN_ENDPOINT_MAX_ATTEMPTS: '3' },
    });
    await fx.sandbox.admin.setTokenLifetime(LIFETIME_SECONDS);
    tenant = await fx.tenant('refresh');
  });
  afterAll(async () => {
    await fx?.stop();
  });

  const tokenGrants = async () => Number((await fx.sandbox.admin.counters(fx.portalId)).tokenGrants);
  const getToken = (connectionId: string) => fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId });
  const remember = async (connectionId: string) => {
    const t = await storedTokens(fx, connectionId);
    if (t) [t.accessToken, t.refreshToken].forEach((s) => s && seenTokens.add(s));
  };
  /** Per gateway process, the sum of a counter's samples whose labels include every `labels` pair (its /metrics). */
  const counterPerProcess = async (name: string, labels: string[]) =>
    Promise.all(
      fx.gateways.map(async (g) => {
        const text = await (await fetch(`${g.url}/metrics`)).text();
        return text
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)))
          .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
      }),
    );
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  /** auth.token.get requests each gateway process answered so far. */
  const servedPerProcess = () => counterPerProcess('auth_rpc_requests_total', ['subject="auth.token.get.v1"']);
  /** Answers 429 the gateways got from HubSpot's token endpoint on refreshes. */
  const refresh429s = async () => sum(await counterPerProcess('hubspot_oauth_requests_total', ['call="token_refresh"', 'status="429"']));

  async function connect(): Promise<string> {
    const res = await fx.oauthConnect(tenant);
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { connection: { id: string } }).connection.id;
    await remember(id);
    return id;
  }

  it('refreshes ahead of expiry: a forced short token lifetime yields a refreshed token', async () => {
    const connectionId = await connect();
    const first = await getToken(connectionId);
    seenTokens.add(first.accessToken);
    // Fresh: asking again changes nothing and costs no grant.
    const grantsBefore = await tokenGrants();
    expect((await getToken(connectionId)).accessToken).toBe(first.accessToken);
    expect(await tokenGrants()).toBe(grantsBefore);

    // Inside the refresh margin (the token still works, but not for long).
    await until(first.expiresAt, -MARGIN_SECONDS * 1000 + 500);
    const second = await getToken(connectionId);
    seenTokens.add(second.accessToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(new Date(second.expiresAt as string).getTime()).toBeGreaterThan(new Date(first.expiresAt as string).getTime());
    expect(await tokenGrants()).toBe(grantsBefore + 1);
    const account = await fetch(`${fx.sandbox.url}/account-info/v3/details`, { headers: { authorization: `Bearer ${second.accessToken}` } });
    expect(account.status).toBe(200);
  });

  it('20 concurrent auth.token.get across 3 processes right at expiry → exactly one token grant', async () => {
    const connectionId = await connect();
    const current = await getToken(connectionId);
    await until(current.expiresAt, 50);
    const grantsBefore = await tokenGrants();
    const servedBefore = await servedPerProcess();

    const replies = await Promise.all(Array.from({ length: 20 }, () => getToken(connectionId)));

    expect(await tokenGrants()).toBe(grantsBefore + 1);
    const distinct = new Set(replies.map((r) => r.accessToken));
    expect(distinct.size).toBe(1);
    const [fresh] = [...distinct];
    seenTokens.add(fresh);
    expect(fresh).not.toBe(current.accessToken);
    // The requests were spread over the replicas by the queue group (each answered some).
    const served = (await servedPerProcess()).map((n, i) => n - servedBefore[i]);
    expect(sum(served)).toBe(20);
    expect(served.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('auth.token.invalidate refreshes once when the rejected token is current, not when it was already replaced', async () => {
    const connectionId = await connect();
    const current = await getToken(connectionId);
    const grantsBefore = await tokenGrants();
    const [a, b] = await Promise.all([
      fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_INVALIDATE_V1, { connectionId, accessToken: current.accessToken }),
      fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_INVALIDATE_V1, { connectionId, accessToken: current.accessToken }),
    ]);
    expect(a.accessToken).not.toBe(current.accessToken);
    expect(b.accessToken).toBe(a.accessToken);
    expect(await tokenGrants()).toBe(grantsBefore + 1);
    seenTokens.add(a.accessToken);
    // A stale token reported late gets the current one without another grant.
    const stale = await fx.rpc.request<unknown, AuthTokenGetReplyV1>(AUTH_TOKEN_INVALIDATE_V1, { connectionId, accessToken: current.accessToken });
    expect(stale.accessToken).toBe(a.accessToken);
    expect(await tokenGrants()).toBe(grantsBefore + 1);
  });

  it('retries 429s from the token endpoint with backoff and keeps the connection active', async () => {
    const connectionId = await connect();
    const current = await getToken(connectionId);
    await fx.sandbox.admin.setKnobs(null, { tokenEndpoint429Rate: 1 });
    try {
      await until(current.expiresAt, 50);
      const limitedBefore = await refresh429s();
      await expect(getToken(connectionId)).rejects.toMatchObject({ kind: 'rate_limited' });
      // One refresh, retried with backoff up to TOKEN_ENDPOINT_MAX_ATTEMPTS (3) times.
      expect((await refresh429s()) - limitedBefore).toBe(3);
      const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId });
      expect(status).toMatchObject({ status: 'active', connected: true, last_error: expect.stringContaining('rate limited') });
    } finally {
      await fx.sandbox.admin.setKnobs(null, { tokenEndpoint429Rate: 0 });
    }
    const recovered = await getToken(connectionId);
    seenTokens.add(recovered.accessToken);
    expect(recovered.accessToken).not.toBe(current.accessToken);
    const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId });
    expect(status).toMatchObject({ status: 'active', last_error: null });
  });

  it('a revoked refresh token puts the connection in needs_reauth with the reason, for every waiter', async () => {
    const connectionId = await connect();
    const current = await getToken(connectionId);
    const tokens = await storedTokens(fx, connectionId);
    await fx.sandbox.admin.revokeRefreshToken(tokens?.refreshToken as string);
    await until(current.expiresAt, 50);

    const results = await Promise.allSettled(Array.from({ length: 6 }, () => getToken(connectionId)));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ kind: 'needs_reauth', message: expect.stringContaining('refresh token') });
    }
    const status = await fx.rpc.request<unknown, AuthConnectionStatusV1>(AUTH_CONNECTION_GET_V1, { connectionId });
    expect(status).toMatchObject({ status: 'needs_reauth', connected: false, last_error: expect.stringContaining('HubSpot rejected the refresh token') });
    // Later callers get the typed error at once, without asking HubSpot again.
    const grantsBefore = await tokenGrants();
    await expect(getToken(connectionId)).rejects.toMatchObject({ kind: 'needs_reauth' });
    expect(await tokenGrants()).toBe(grantsBefore);
  });

  it('keeps every token out of the database in plaintext and out of the logs of all three processes', async () => {
    expect(seenTokens.size).toBeGreaterThanOrEqual(10);
    expect(await plaintextFindings(fx.db, seenTokens)).toEqual([]);
    // Positive control: the same scan does find values that are stored in plaintext.
    expect(await columnsContaining(fx.db, String(fx.portalId))).toContain('integration.connections.portal_id');
    const logs = fx.logs.text();
    expect(logs).toContain('Refreshed the access token');
    for (const token of seenTokens) expect(logs).not.toContain(token);
  });
});
