import { spawnSync } from 'node:child_process';
import { waitFor } from '@hubsync/testing';
import { SERVICE_APPS, Stack, startStack } from './start-stack';
import { builtAppEntry } from './workspace-root';

// Needs the four services built (npm test builds first; by hand: see buildHint in workspace-root.ts).
describe('startStack: every service boots against real PostgreSQL and NATS', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ apps: SERVICE_APPS });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(SERVICE_APPS)('%s answers /health/live and /health/ready with its dependencies up', async (app) => {
    const live = await fetch(`${stack.urls[app]}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${stack.urls[app]}/health/ready`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.status).toBe('ok');
    expect(body.details).toMatchObject({ postgres: { status: 'up' }, nats: { status: 'up' }, lifecycle: { status: 'up' } });
  });

  it.each(SERVICE_APPS)('%s exposes Prometheus metrics with process metrics and request counters', async (app) => {
    await fetch(`${stack.urls[app]}/does-not-exist`);
    const res = await fetch(`${stack.urls[app]}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain(`process_cpu_user_seconds_total{service="${app}"}`);
    expect(text).toMatch(new RegExp(`http_requests_total\\{[^}]*route="unmatched"[^}]*status="404"[^}]*\\} 1`));
  });

  it('writes JSON log lines without the credentials a request carried', async () => {
    const secret = 'sekret-value-0123456789';
    await fetch(`${stack.urls['sync-api']}/nope?code=${secret}`, { headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret } });
    // The request line is written when the response finishes, possibly after we got it.
    const request = await waitFor('the /nope request log line', () =>
      stack.logs
        .lines('sync-api')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => l.req?.url?.startsWith('/nope')),
      10_000,
    );
    expect(request).toMatchObject({ service: 'sync-api', level: 'warn', res: { statusCode: 404 } });
    const everything = stack.logs.text();
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(stack.apps['auth-gateway']?.env['TOKEN_ENCRYPTION_KEY']);
    expect(everything).not.toContain(stack.hubspotApp.clientSecret);
  });

  it('stops on SIGTERM through the shutdown hooks (exit 0, not the deadline, not SIGKILL) and restarts', async () => {
    const mapper = stack.apps.mapper;
    if (!mapper) throw new Error('mapper missing');
    const child = mapper.process;
    const code = await stack.stopApp('mapper');
    // 0 = shutdown hooks finished; the 10 s deadline exits 1; the harness SIGKILLs after 15 s.
    expect(code).toBe(0);
    expect(child?.signalCode).toBeNull();
    expect(stack.logs.text('mapper')).toContain('SIGTERM received');
    expect(stack.logs.text('mapper')).toContain('shutdown complete');
    await stack.restart('mapper');
    expect((await fetch(`${stack.urls.mapper}/health/ready`)).status).toBe(200);
  });

  it('kill() SIGKILLs an app and restart() brings it back on the same URL', async () => {
    const child = stack.processes.fetcher;
    await stack.kill('fetcher');
    expect(child?.signalCode).toBe('SIGKILL');
    await expect(fetch(`${stack.urls.fetcher}/health/live`)).rejects.toThrow();
    await stack.restart('fetcher');
    expect(stack.processes.fetcher).not.toBe(child);
    expect((await fetch(`${stack.urls.fetcher}/health/ready`)).status).toBe(200);
  });

  it.each(SERVICE_APPS)('%s refuses to start without DATABASE_URL and names it', (app) => {
    const env = { ...(stack.apps[app]?.env ?? {}), PATH: process.env['PATH'] ?? '' };
    delete env['DATABASE_URL'];
    const result = spawnSync(process.execPath, [builtAppEntry(app)], { env, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('DATABASE_URL');
  });
});

describe('startStack({ sandbox: true })', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ apps: ['auth-gateway', 'fetcher'], sandbox: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('points the services at the sandbox and gives auth-gateway an OAuth app created there', async () => {
    const sandbox = stack.sandbox;
    if (!sandbox) throw new Error('sandbox missing');
    expect((await fetch(`${sandbox.url}/health/ready`)).status).toBe(200);
    expect(stack.apps.fetcher?.env['HUBSPOT_API_BASE_URL']).toBe(sandbox.url);
    expect(stack.apps['auth-gateway']?.env['HUBSPOT_AUTH_BASE_URL']).toBe(sandbox.url);
    expect(stack.hubspotApp.redirectUri).toBe(`${stack.urls['auth-gateway']}/api/integrations/hubspot/callback`);
    // The sandbox knows the app: its authorize page accepts the client id and redirect URI.
    const authorize = new URL('/oauth/authorize', sandbox.url);
    authorize.search = new URLSearchParams({ client_id: stack.hubspotApp.clientId, redirect_uri: stack.hubspotApp.redirectUri, scope: 'oauth' }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBeLessThan(400);
    authorize.searchParams.set('client_id', 'not-a-sandbox-app');
    expect((await fetch(authorize, { redirect: 'manual' })).status).toBeGreaterThanOrEqual(400);
    // The services never get the sandbox admin token.
    for (const app of ['auth-gateway', 'fetcher'] as const) expect(Object.values(stack.apps[app]?.env ?? {})).not.toContain(sandbox.adminToken);
  });
});
