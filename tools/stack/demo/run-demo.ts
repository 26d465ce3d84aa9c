import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { createDataSource } from '@hubsync/persistence';
import { SandboxAdminClient } from '@hubsync/testing';
import type { LocalStack } from '../local-stack';
import { formatDuration, ObjectProgress, renderProgress } from './progress-bars';

const DEMO_EMAIL = 'demo@hubsync.local';
/** A few thousand records with dirty ones (sandbox `dirtyRate`): missing domains, bad emails, duplicate domains. */
const SEED = {
  seed: 7,
  sizes: { companies: 800, contacts: 2500, deals: 900, calls: 400, emails: 400, meetings: 300, notes: 300, tasks: 300 },
  owners: 8,
  dealPipelines: 1,
  dirtyRate: 0.05,
  historyDays: 1100,
};
const SYNC_TIMEOUT_MS = 20 * 60_000;
const POLL_MS = 2_000;

interface DemoState {
  organizationUid: string;
  apiKey: string;
  connectionId: string;
  portalId: number;
  destinationSchema: string;
}

/**
 * `npm start`'s demo: a demo organization, user and API key; a seeded sandbox portal connected
 * through the real OAuth flow (sandbox auto-approve); the first sync with progress bars per object
 * type; a summary with ready-to-paste curl lines; the sandbox left in live mode.
 */
export async function runDemo(stack: LocalStack): Promise<void> {
  const startedAt = Date.now();
  const { syncApiUrl, authGatewayUrl, sandboxUrl, sandboxAdminToken, databaseUrl } = stack.file;
  const sandbox = new SandboxAdminClient(sandboxUrl, sandboxAdminToken);

  stack.log('demo: creating the demo organization, user and API key');
  const { organizationUid, apiKey } = await demoTenant(databaseUrl, stack.file['demo'] as Partial<DemoState> | undefined, syncApiUrl);

  stack.log('demo: seeding a sandbox portal (a few thousand companies, contacts, deals and engagements, some dirty)');
  const portal = await sandbox.createPortal({ timeZone: 'Europe/Copenhagen', currency: 'EUR' });
  const seeded = await sandbox.seed(portal.portalId, SEED);
  stack.log(`demo: portal ${portal.portalId} seeded: ${Object.entries(seeded.counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);

  stack.log('demo: connecting it through the OAuth flow');
  const connectionId = await connectThroughOAuth(authGatewayUrl, apiKey, portal.portalId);
  stack.log(`demo: connected (connection ${connectionId})`);

  const destinationSchema = await ensureEltSync(syncApiUrl, apiKey, connectionId);
  const state: DemoState = { organizationUid, apiKey, connectionId, portalId: portal.portalId, destinationSchema };
  stack.updateStackFile({ demo: state });

  const run = await api(syncApiUrl, apiKey, 'POST', '/api/ingest/run', {});
  const runId = (run.body as { run_id: string }).run_id;
  stack.log(`demo: first sync started (run ${runId}); progress:`);
  const final = await followProgress(syncApiUrl, apiKey, runId, (lines) => process.stdout.write(`\n${lines.join('\n')}\n\n`));

  const skipped = (await api(syncApiUrl, apiKey, 'GET', `/api/integrations/hubspot/skipped-records?run_id=${runId}&examples=0`)).body as {
    total: number;
    groups: { object_type: string; rule: string; count: number }[];
  };
  await sandbox.live(portal.portalId, { ratePerSecond: 1, seed: 11 }).catch((error: Error) => stack.log(`demo: live mode not started: ${error.message}`));

  const lines = [
    '',
    `Demo ${final.status === 'completed' ? 'sync completed' : `sync ${final.status}`} in ${formatDuration(Date.now() - startedAt)} (organization ${organizationUid}, portal ${portal.portalId})`,
    ...Object.entries(final.objects).map(([type, o]) => `  ${type.padEnd(10)} ${String(o.total_synced).padStart(6)} synced  ${String(o.total_skipped).padStart(5)} skipped`),
    `  skipped: ${skipped.total}${skipped.groups.length ? ` — top reasons: ${skipped.groups.slice(0, 3).map((g) => `${g.rule} (${g.object_type}) ×${g.count}`).join(', ')}` : ''}`,
    ...(final.errors.length ? [`  errors: ${final.errors.map((e) => `${e.object_type}: ${e.message}`).join('; ')}`] : []),
    `  typed views: schema ${destinationSchema}; the sandbox keeps changing (live mode), incremental syncs keep flowing`,
    '',
    'Try it (API key of the demo organization):',
    `  export HUBSYNC_KEY='${apiKey}'`,
    `  curl -s ${syncApiUrl}/api/integrations/hubspot/sync/status -H "x-api-key: $HUBSYNC_KEY"`,
    `  curl -s ${syncApiUrl}/api/integrations/hubspot/sync/stages -H "x-api-key: $HUBSYNC_KEY"`,
    `  curl -s -X POST ${syncApiUrl}/api/integrations/hubspot/sync -H "x-api-key: $HUBSYNC_KEY" -H 'content-type: application/json' -d '{"mode":"catalog_only"}'`,
    `  curl -s ${syncApiUrl}/api/integrations/hubspot/status -H "x-api-key: $HUBSYNC_KEY"`,
    `  curl -s -X POST ${syncApiUrl}/api/integrations/hubspot/backfill -H "x-api-key: $HUBSYNC_KEY" -H 'content-type: application/json' -d '{"lookback":"1y"}'`,
    `  curl -s ${syncApiUrl}/api/ingest/status -H "x-api-key: $HUBSYNC_KEY"`,
    `  curl -s ${syncApiUrl}/elt_syncs -H "x-api-key: $HUBSYNC_KEY"`,
    `  open ${syncApiUrl}/docs`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Reuses the demo user (the database outlives runs) and its key while it still works; else creates them. */
async function demoTenant(databaseUrl: string, previous: Partial<DemoState> | undefined, syncApiUrl: string): Promise<{ organizationUid: string; apiKey: string }> {
  if (previous?.apiKey && previous.organizationUid) {
    const check = await fetch(`${syncApiUrl}/api/keys`, { headers: { 'x-api-key': previous.apiKey } }).catch(() => null);
    if (check?.ok) return { organizationUid: previous.organizationUid, apiKey: previous.apiKey };
  }
  const dataSource = createDataSource({ databaseUrl, poolSize: 2, applicationName: 'hubsync-demo' });
  await dataSource.initialize();
  try {
    const tenancy = new TenancyService(dataSource);
    const keys = new ApiKeyService(dataSource);
    let user = await tenancy.findUser(DEMO_EMAIL);
    let organizationUid: string;
    if (user) {
      const rows: { organization_uid: string }[] = await dataSource.query(`SELECT organization_uid FROM core.memberships WHERE user_uid = $1 ORDER BY is_default DESC LIMIT 1`, [user.uid]);
      organizationUid = rows[0]?.organization_uid ?? (await tenancy.createOrganization('Demo organization')).uid;
    } else {
      organizationUid = (await tenancy.createOrganization('Demo organization')).uid;
      user = await tenancy.createUser(DEMO_EMAIL, 'Demo user');
    }
    await tenancy.addMembership(organizationUid, user.uid, { role: 'owner', makeDefault: true });
    const key = await keys.create({ organizationUid, userUid: user.uid, name: 'demo' });
    return { organizationUid, apiKey: key.apiKey };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The real flow: auth-gateway's /start (JSON) → the sandbox's /oauth/authorize (auto-approve for this
 * portal) → 302 to auth-gateway's /callback with code and state → the connection.
 */
async function connectThroughOAuth(authGatewayUrl: string, apiKey: string, portalId: number): Promise<string> {
  const start = await fetch(`${authGatewayUrl}/api/integrations/hubspot/start?label=demo`, { headers: { 'x-api-key': apiKey, accept: 'application/json' } });
  if (!start.ok) throw new Error(`auth-gateway /start answered ${start.status}: ${await start.text()}`);
  const authorize = new URL(((await start.json()) as { url: string }).url);
  authorize.searchParams.set('auto_approve', '1');
  authorize.searchParams.set('portal_id', String(portalId));
  const approved = await fetch(authorize, { redirect: 'manual' });
  const callback = approved.headers.get('location');
  if (approved.status !== 302 || !callback) throw new Error(`sandbox authorize answered ${approved.status}: ${await approved.text()}`);
  const done = await fetch(callback, { redirect: 'manual', headers: { accept: 'application/json' } });
  if (done.status !== 200) throw new Error(`auth-gateway /callback answered ${done.status}: ${await done.text()}`);
  return ((await done.json()) as { connection: { id: string } }).connection.id;
}

/** One ELT sync per organization (default destination schema), so the typed views are built. */
async function ensureEltSync(syncApiUrl: string, apiKey: string, connectionId: string): Promise<string> {
  const created = await api(syncApiUrl, apiKey, 'POST', '/elt_syncs', { connection_id: connectionId }, [201, 409]);
  if (created.status === 201) return (created.body as { destination_schema_name: string }).destination_schema_name;
  // The demo organization kept its sync from an earlier run: point it at the new connection.
  const existing = ((await api(syncApiUrl, apiKey, 'GET', '/elt_syncs')).body as { data: { id: string; destination_schema_name: string }[] }).data[0];
  await api(syncApiUrl, apiKey, 'DELETE', `/elt_syncs/${existing.id}`, undefined, [204]);
  const again = await api(syncApiUrl, apiKey, 'POST', '/elt_syncs', { connection_id: connectionId, destination_schema_name: existing.destination_schema_name }, [201]);
  return (again.body as { destination_schema_name: string }).destination_schema_name;
}

interface RunProgress {
  status: string;
  percent: number;
  objects: Record<string, ObjectProgress>;
  errors: { object_type: string; message: string }[];
}

async function followProgress(syncApiUrl: string, apiKey: string, runId: string, print: (lines: string[]) => void): Promise<RunProgress> {
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  let lastPrinted = '';
  let lastPrintAt = 0;
  for (;;) {
    const progress = (await api(syncApiUrl, apiKey, 'GET', `/api/ingest/status?run_id=${runId}`)).body as RunProgress;
    const lines = renderProgress(progress.objects, progress.percent);
    const key = lines.join('\n');
    // Service logs share the terminal: print a fresh block when something moved, at most every 2 s.
    if (key !== lastPrinted && (Date.now() - lastPrintAt >= POLL_MS || progress.status !== 'running')) {
      print(lines);
      lastPrinted = key;
      lastPrintAt = Date.now();
    }
    if (['completed', 'failed'].includes(progress.status) || Date.now() > deadline) return progress;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function api(base: string, apiKey: string, method: string, path: string, body?: unknown, expected = [200, 201, 202]): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-api-key': apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
