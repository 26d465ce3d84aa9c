import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { createDataSource } from '@hubsync/persistence';
import { AppProcess, ServiceApp, Stack, startStack, StartStackOptions } from '@hubsync/test-stack';
import { SandboxAdminClient, SandboxSeedOptions, SandboxSeedResult } from '@hubsync/testing';
import { call, HttpAnswer, HttpCall } from './http';

export interface Tenant {
  label: string;
  organizationUid: string;
  userUid: string;
  apiKey: string;
  apiKeyUid: string;
  apiKeyPrefix: string;
}

export interface ReliabilityStack {
  stack: Stack;
  /** Direct database access for assertions (never used to fake what a service should do). */
  db: Pool;
  admin: SandboxAdminClient;
  /** Base URL of the sandbox's HubSpot API. */
  sandboxUrl: string;
  /** The current process of a service (throws when the stack has none). */
  app(name: ServiceApp): AppProcess;
  /** Calls one service of the stack. */
  api(app: ServiceApp, request: HttpCall): Promise<HttpAnswer>;
  /** An organization, its owner (default org) and an API key, created the way `npm run admin` does. */
  tenant(label: string): Promise<Tenant>;
  /** A new sandbox portal, seeded deterministically. */
  portal(seed: Omit<SandboxSeedOptions, 'seed'> & { seed?: number }): Promise<{ portalId: number; seed: SandboxSeedResult }>;
  /**
   * The real OAuth install (auth-gateway start → sandbox authorize with auto-approve → callback),
   * granted to `portalId`. Answers the connection id. Installs run one at a time (the knob is global).
   */
  connectOAuth(tenant: Tenant, portalId: number): Promise<string>;
  stop(): Promise<void>;
}

export interface ReliabilityStackOptions extends Omit<StartStackOptions, 'sandbox'> {
  /** Per-request timeout of `api` (default 30 s). */
  requestTimeoutMs?: number;
}

/**
 * The stack the reliability suites and the chaos runner test: PostgreSQL, NATS, the sandbox and the
 * services as separate processes (libs/test-stack), plus tenants and OAuth connections made through
 * the services' real endpoints.
 */
export async function startReliabilityStack(options: ReliabilityStackOptions = {}): Promise<ReliabilityStack> {
  const stack = await startStack({ ...options, sandbox: true, sandboxEnv: { LOG_LEVEL: 'warn', ...options.sandboxEnv } });
  const db = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  // A PostgreSQL restart (chaos) breaks idle clients; the pool replaces them, the error is not fatal.
  db.on('error', () => undefined);
  let dataSource: DataSource | undefined;
  const tenancy = async () => {
    if (!dataSource) {
      dataSource = createDataSource({ databaseUrl: stack.databaseUrl, poolSize: 2, applicationName: 'reliability-tenants' });
      await dataSource.initialize();
    }
    return { tenancy: new TenancyService(dataSource), keys: new ApiKeyService(dataSource) };
  };
  const sandbox = stack.sandbox;
  if (!sandbox) throw new Error('startStack did not start the sandbox');
  const admin = sandbox.admin;
  let tenants = 0;
  let installs = Promise.resolve<unknown>(undefined);

  const api = (app: ServiceApp, request: HttpCall) => call(stack.urls[app], { timeoutMs: options.requestTimeoutMs, ...request });

  return {
    stack,
    db,
    admin,
    sandboxUrl: sandbox.url,
    app(name) {
      const p = stack.apps[name];
      if (!p) throw new Error(`${name} is not part of this stack`);
      return p;
    },
    api,
    async tenant(label) {
      const { tenancy: t, keys } = await tenancy();
      const org = await t.createOrganization(`Reliability ${label}`);
      const user = await t.createUser(`${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${++tenants}-${process.pid}@reliability.example.com`);
      await t.addMembership(org.uid, user.uid, { role: 'owner', makeDefault: true });
      const key = await keys.create({ organizationUid: org.uid, userUid: user.uid, name: `${label} key` });
      return { label, organizationUid: org.uid, userUid: user.uid, apiKey: key.apiKey, apiKeyUid: key.uid, apiKeyPrefix: key.prefix };
    },
    async portal(seed) {
      const portal = await admin.createPortal({});
      const result = await admin.seed(portal.portalId, { seed: 1, ...seed });
      return { portalId: portal.portalId, seed: result };
    },
    connectOAuth(tenant, portalId) {
      const next = installs.then(() => oauthInstall(stack, admin, tenant, portalId));
      installs = next.catch(() => undefined);
      return next;
    },
    async stop() {
      await dataSource?.destroy().catch(() => undefined);
      await db.end().catch(() => undefined);
      await stack.stop();
    },
  };
}

async function oauthInstall(stack: Stack, admin: SandboxAdminClient, tenant: Tenant, portalId: number): Promise<string> {
  await admin.setKnobs(null, { autoApprove: true, oauthPortalId: portalId });
  const gateway = stack.urls['auth-gateway'];
  const start = await call(gateway, { method: 'GET', path: '/api/integrations/hubspot/start', apiKey: tenant.apiKey, headers: { accept: 'application/json' } });
  if (start.status !== 200 || typeof start.body?.url !== 'string') throw new Error(`auth-gateway start answered ${start.status}: ${start.text.slice(0, 300)}`);
  const approved = await fetch(start.body.url, { redirect: 'manual' });
  const location = approved.headers.get('location');
  if (approved.status !== 302 || !location) throw new Error(`sandbox authorize answered ${approved.status}: ${(await approved.text()).slice(0, 300)}`);
  const url = new URL(location);
  const callback = await call(`${url.protocol}//${url.host}`, { method: 'GET', path: `${url.pathname}${url.search}`, headers: { accept: 'application/json' } });
  const id = callback.body?.connection?.id;
  if (callback.status !== 200 || typeof id !== 'string') throw new Error(`auth-gateway callback answered ${callback.status}: ${callback.text.slice(0, 300)}`);
  return id;
}
