import { SandboxAdminClient, SandboxSeedResult } from '@hubsync/testing';
import type { Stack } from '@hubsync/test-stack';
import { Sizes, totalOf } from '../core/bench-sizes';
import type { Tenant } from './bench-stack';

/** Scopes the standard object types need (auth-gateway's required-scopes list). */
export const BENCH_SCOPES = ['crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read', 'tickets', 'sales-email-read', 'crm.objects.owners.read'];

export interface SeededPortal {
  portalId: number;
  seed: SandboxSeedResult;
  /** Live (not archived) records per object type, from the sandbox's ground truth. */
  truth: Record<string, number>;
  /** Sum of `truth`: the number of mirror rows a complete sync commits. */
  records: number;
  seedSeconds: number;
}

/** A new sandbox portal seeded with `sizes` (deterministic for a given seed), and its ground truth. */
export async function seedPortal(admin: SandboxAdminClient, sizes: Sizes, seed: number): Promise<SeededPortal> {
  const portal = await admin.createPortal({});
  const started = Date.now();
  const result = await admin.seed(portal.portalId, { seed, sizes });
  const seedSeconds = (Date.now() - started) / 1000;
  const truth: Record<string, number> = {};
  for (const type of Object.keys(sizes)) truth[type] = (await admin.truth(portal.portalId, type, { records: false })).live;
  const records = totalOf(truth);
  return { portalId: portal.portalId, seed: result, truth, records, seedSeconds };
}

async function expectJson(res: Response, what: string, statuses: number[]): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!statuses.includes(res.status)) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Private-app token connect through auth-gateway (POST /api/integrations/hubspot/connections). */
export async function connectPrivateApp(stack: Stack, tenant: Tenant, token: string): Promise<string> {
  const res = await fetch(`${stack.urls['auth-gateway']}/api/integrations/hubspot/connections`, {
    method: 'POST',
    headers: { 'x-api-key': tenant.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ access_token: token, label: 'bench' }),
  });
  const body = await expectJson(res, 'auth-gateway private-app connect', [200, 201]);
  if (typeof body['id'] !== 'string') throw new Error(`auth-gateway private-app connect answered without a connection id: ${JSON.stringify(body).slice(0, 300)}`);
  return body['id'];
}

/**
 * The real OAuth install of the stack's public app (what public-app limits apply to): start → the
 * sandbox's authorize (auto-approve, granted to `portalId` through the `oauthPortalId` knob) → the
 * gateway's callback. Installs must be sequential (the knob is global).
 */
export async function connectOAuth(stack: Stack, tenant: Tenant, portalId: number): Promise<string> {
  const sandbox = stack.sandbox;
  if (!sandbox) throw new Error('the stack has no sandbox');
  await sandbox.admin.setKnobs(null, { autoApprove: true, oauthPortalId: portalId });
  const start = await fetch(`${stack.urls['auth-gateway']}/api/integrations/hubspot/start`, { headers: { 'x-api-key': tenant.apiKey, accept: 'application/json' } });
  const { url } = (await expectJson(start, 'auth-gateway OAuth start', [200])) as { url?: string };
  if (!url) throw new Error('auth-gateway OAuth start answered without a url');
  const approved = await fetch(url, { redirect: 'manual' });
  const location = approved.headers.get('location');
  if (approved.status !== 302 || !location) throw new Error(`sandbox authorize answered ${approved.status}: ${(await approved.text()).slice(0, 300)}`);
  const callback = await fetch(location, { redirect: 'manual', headers: { accept: 'application/json' } });
  const body = await expectJson(callback, 'auth-gateway OAuth callback', [200]);
  const connection = body['connection'] as { id?: string } | undefined;
  if (!connection?.id) throw new Error(`auth-gateway OAuth callback answered without a connection: ${JSON.stringify(body).slice(0, 300)}`);
  return connection.id;
}

/** Seed 002 "POST /api/ingest/run": a full sync of companies, contacts, deals and the engagement types. */
export async function startFullSync(stack: Stack, tenant: Tenant): Promise<string> {
  const { body } = await postIngestRun(stack, tenant, [202]);
  if (typeof body['run_id'] !== 'string') throw new Error(`sync-api POST /api/ingest/run answered without run_id: ${JSON.stringify(body).slice(0, 300)}`);
  return body['run_id'];
}

/**
 * `startFullSync` once the tenant's previous run has finished: a run whose mirror rows are all in is
 * still "in progress" (sync_in_progress) until the mapper settles its object runs.
 */
export async function startFullSyncWhenIdle(stack: Stack, tenant: Tenant, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await postIngestRun(stack, tenant, [200, 202]);
    if (status === 202 && typeof body['run_id'] === 'string') return body['run_id'];
    if (body['reason'] !== 'sync_in_progress' || Date.now() > deadline) {
      throw new Error(`sync-api POST /api/ingest/run did not start a sync within ${timeoutMs} ms: ${JSON.stringify(body).slice(0, 300)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function postIngestRun(stack: Stack, tenant: Tenant, statuses: number[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.urls['sync-api']}/api/ingest/run`, {
    method: 'POST',
    headers: { 'x-api-key': tenant.apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: await expectJson(res, 'sync-api POST /api/ingest/run', statuses) };
}

/** GET /api/ingest/status, for progress lines and failure messages. */
export async function ingestStatus(stack: Stack, tenant: Tenant, runId: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(`${stack.urls['sync-api']}/api/ingest/status?run_id=${encodeURIComponent(runId)}`, { headers: { 'x-api-key': tenant.apiKey } });
    return res.ok ? ((await res.json()) as Record<string, unknown>) : { http_status: res.status, body: (await res.text()).slice(0, 300) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function sizesTotal(sizes: Sizes): number {
  return totalOf(sizes);
}
