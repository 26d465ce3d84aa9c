import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceApp } from '@hubsync/test-stack';
import { call, sleep } from '../reliability/support/http';
import { startReliabilityStack, ReliabilityStack, Tenant } from '../reliability/support/reliability-stack';
import { scanLinesForSecrets, SecretHit } from '../reliability/support/secret-scan';
import { ChaosOptions } from './chaos-options';
import { FaultKind, planFaults, PlannedFault } from './fault-plan';
import { FetcherFleet } from './fetcher-fleet';
import { PublishTap } from './publish-tap';
import { Counts, isClean, reconcile, Reconciliation } from './reconcile';
import { SeededRandom } from './seeded-random';

export interface FaultRecord {
  kind: FaultKind;
  /** Seconds after the change phase started: as planned, and when it actually ran. */
  plannedAt: number;
  startedAt: number;
  /** How long the fault action itself took (kill + downtime + restart, a restart, …). */
  tookS: number;
  /** Seconds from the end of the fault until every service was ready and new data reached the mirror; null = never. */
  recoveredAfterS: number | null;
  detail: string;
  error?: string;
}

export interface ChaosResult {
  ok: boolean;
  seed: number;
  profile: string;
  minutes: number;
  commit: string;
  startedAt: string;
  durationS: number;
  options: Omit<ChaosOptions, 'outDir' | 'echo'>;
  setup: { portalId: number; organizationUid: string; connectionId: string; streams: string[]; initialLoadS: number | null };
  liveOps: Record<string, unknown>;
  faults: FaultRecord[];
  settle: { convergedAfterS: number | null; reconciliations: number };
  totals: Counts;
  reconciliation: Reconciliation;
  secretsInLogs: SecretHit[];
  /** For each stale or missing example: whether a fetcher ever published HubSpot's version of it. */
  diagnosis: string[];
  /** Where the services' log lines of the run were written. */
  logFile: string;
  pipeline: { deadLetters: number; failedJobs: Array<{ kind: string; error: string | null }> };
  sandboxCounters: Record<string, unknown>;
  problems: string[];
}

type Log = (line: string) => void;

/** Shortened intervals so a run converges in minutes (every one is the apps' own configuration). */
function serviceEnv(o: ChaosOptions): { env: Record<string, string>; appEnv: Partial<Record<ServiceApp, Record<string, string>>> } {
  const short = o.profile === 'short';
  return {
    env: { LOG_LEVEL: 'info', API_RATE_LIMIT_PER_MINUTE: '1000000' },
    appEnv: {
      fetcher: {
        EDGE_INTERVAL_MS: short ? '1000' : '2000',
        LAG_WINDOW_MS: String((o.searchLagSeconds + 5) * 1000),
        LAG_SWEEP_INTERVAL_MS: short ? '5000' : '10000',
        DELETE_SWEEP_INTERVAL_MS: short ? '15000' : '30000',
        ASSOCIATION_SWEEP_INTERVAL_MS: short ? '20000' : '40000',
        SCHEMA_SWEEP_INTERVAL_MS: '10000',
        LEASE_TTL_MS: '4000',
        ADOPTION_SWEEP_INTERVAL_MS: '1000',
        HANDOVER_COOLDOWN_MS: '3000',
        DRIVER_STOP_GRACE_MS: '1500',
        HUBSPOT_RETRY_BASE_MS: '100',
        HUBSPOT_RETRY_MAX_DELAY_MS: '3000',
        HUBSPOT_RETRY_MAX_ATTEMPTS: '8',
        WORK_ACK_WAIT_MS: '5000',
        AUTH_REQUEST_TIMEOUT_MS: '3000',
      },
      mapper: { MAPPER_COMPLETION_CHECK_MS: '1000' },
      'auth-gateway': { TOKEN_ENDPOINT_BACKOFF_MS: '100', TOKEN_ENDPOINT_MAX_BACKOFF_MS: '1000' },
    },
  };
}

/**
 * One chaos run (issue 9 §1): the whole stack as separate processes, a live sandbox portal with
 * lag, 5xx, resets, 429 storms and short-lived tokens; a seeded plan of kills, restarts, scaling,
 * merges and a refresh-token revocation; then quiescence and an exact reconciliation.
 */
export async function runChaos(o: ChaosOptions, log: Log): Promise<ChaosResult> {
  const t0 = Date.now();
  const rng = new SeededRandom(o.seed);
  const problems: string[] = [];
  const { env, appEnv } = serviceEnv(o);
  log(`chaos ${o.profile}: seed ${o.seed}, ${o.minutes} min of changes; starting the stack`);
  const rs = await startReliabilityStack({ env, appEnv, echo: o.echo, readyTimeoutMs: 90_000 });
  const fleet = new FetcherFleet(rs.stack);
  const tap = new PublishTap();
  try {
    await tap.start(rs.stack.natsUrl);
    const admin = rs.admin;
    await admin.setTokenLifetime(o.tokenLifetimeSeconds);
    const portal = await admin.createPortal({});
    const portalId = portal.portalId;
    const seeded = await admin.seed(portalId, { seed: o.seed, sizes: o.sizes, customObjects: [{ name: o.customObject.name, count: o.customObject.count }], owners: 5 });
    const customTypeId = seeded.customObjects[0]?.objectTypeId;
    const tenant = await rs.tenant(`chaos-${o.seed}`);
    const connectionId = await rs.connectOAuth(tenant, portalId);
    const eltSyncId = await createEltSync(rs, tenant, connectionId, log);
    let streams = await addAvailableStreams(rs, tenant, eltSyncId, log);
    log(`portal ${portalId} seeded; connection ${connectionId}; streams: ${streams.join(', ')}`);

    // Initial load, without faults: the baseline every later change is measured against.
    const initialStart = Date.now();
    let initialLoadS = await waitUntilClean(rs, tenant, portalId, streams, {}, o.initialLoadTimeoutSeconds, log, 'initial load');
    // Custom object types are offered as streams once the schema introspection has seen them.
    const offeredCustom = await waitForCustomStream(rs, tenant, eltSyncId, 60_000);
    if (offeredCustom) {
      streams = await addAvailableStreams(rs, tenant, eltSyncId, log);
      initialLoadS = await waitUntilClean(rs, tenant, portalId, streams, {}, o.initialLoadTimeoutSeconds, log, 'initial load (custom objects)');
    } else problems.push('the custom object type was never offered in available_source_streams (schema introspection did not record it)');
    if (initialLoadS === null) problems.push(`initial load did not converge in ${o.initialLoadTimeoutSeconds} s`);
    else log(`initial load converged in ${Math.round((Date.now() - initialStart) / 1000)} s; streams: ${streams.join(', ')}`);

    // Faults and live changes.
    await admin.setKnobs(portalId, { searchLagMaxSeconds: o.searchLagSeconds, errorRate: o.errorRate, resetRate: o.resetRate });
    const liveTypes = ['contacts', 'companies', 'deals', ...(customTypeId ? [customTypeId] : [])];
    await admin.live(portalId, { ratePerSecond: o.liveRatePerSecond, seed: o.seed, objectTypes: liveTypes });
    const merger = await Merger.create(rs, portalId, rng.fork('merges'));
    const plan = planFaults(o);
    const phaseStart = Date.now();
    const faults: FaultRecord[] = [];
    const recoveries: Array<Promise<void>> = [];
    const progress = setInterval(() => void progressLine(rs, tenant, phaseStart, log), 15_000);
    try {
      for (const fault of plan) {
        const wait = phaseStart + fault.at * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        const record = await applyFault(fault, { rs, problems, fleet, merger, tenant, portalId, rng: rng.fork(`fault-${fault.kind}-${fault.at}`), phaseStart, log });
        faults.push(record);
        if (record.recoveredAfterS === null && !record.error && fault.kind !== 'merge' && fault.kind !== 'storm-429') {
          const endedAt = phaseStart + (record.startedAt + record.tookS) * 1000;
          recoveries.push(measureRecovery(rs, fleet, tenant, endedAt, 120_000).then((s) => void (record.recoveredAfterS = s)));
        }
      }
      const remaining = phaseStart + o.minutes * 60_000 - Date.now();
      if (remaining > 0) await sleep(remaining);
    } finally {
      clearInterval(progress);
    }
    // What live mode did (creates, updates, archives, association changes), read before it stops.
    const liveOps = (await admin.request<Record<string, unknown>>('GET', `/portals/${portalId}/live`).catch(() => ({}))) as Record<string, unknown>;
    await admin.live(portalId, { ratePerSecond: 0 });
    await admin.setKnobs(portalId, { stormUntil: 0, stormRate: 0 });
    log(`changes stopped after ${Math.round((Date.now() - phaseStart) / 1000)} s; waiting for quiescence`);
    await Promise.all(recoveries);
    problems.push(...classifyStartFailures('a fetcher', fleet.startFailures));
    for (const f of faults) if (f.recoveredAfterS === null && ['kill-fetcher', 'kill-mapper', 'restart-nats', 'restart-postgres', 'revoke-and-reconnect', 'scale-fetchers'].includes(f.kind)) problems.push(`no recovery after ${f.kind} at ${f.startedAt} s`);

    // Quiescence: past the lag window, then one association and delete sweep per stream, then converge.
    await sleep((o.searchLagSeconds + 10) * 1000);
    await requestSweeps(rs, tenant, log);
    const settleStart = Date.now();
    let reconciliations = 0;
    const convergedAfterS = await waitUntilClean(rs, tenant, portalId, streams, merger.mergedAway, o.settleTimeoutSeconds, log, 'settle', () => reconciliations++);
    const settled = convergedAfterS === null ? null : Math.round((Date.now() - settleStart) / 100) / 10;
    const final = await reconcile({ db: rs.db, admin, portalId, organizationUid: tenant.organizationUid, objectTypes: streams, mergedAway: merger.mergedAway });
    // Which side lost each stale or missing record: never published (fetcher) or published (JetStream/mapper).
    const diagnosis: string[] = [];
    for (const o of final.objects.filter((x) => x.missed + x.stale > 0)) {
      const truth = await admin.truth(portalId, o.objectType, { records: true });
      for (const example of [...(o.examples.missed ?? []), ...(o.examples.stale ?? [])]) {
        const id = example.split(' ')[0];
        const t = truth.records?.find((r) => r.id === id);
        if (t) diagnosis.push(`${o.objectType} ${id} (HubSpot ${t.updatedAt}${t.archived ? ', archived' : ''}): ${tap.verdict(o.objectType, id, t.updatedAtMs)}; ${await merger.searchProbe(o.objectType, id, t.updatedAtMs)}`);
      }
    }
    for (const c of tap.collisions) diagnosis.push(`batch id collision: ${c}`);
    if (tap.gaps.length) diagnosis.push(`the publish tap was disconnected ${tap.gaps.map((g) => `${g.from}–${g.to ?? '?'}`).join(', ')} (verdicts about batches then are not evidence)`);

    // Secrets: nothing the sandbox issued, and no API key, in any line the services printed.
    const issued = await admin.issued();
    const secrets = [
      ...issued.accessTokens.map((t) => t.token),
      ...issued.refreshTokens.map((t) => t.token),
      ...issued.authorizationCodes.map((c) => c.code),
      ...issued.apps.flatMap((a) => [a.clientSecret, a.developerApiKey]),
      tenant.apiKey,
      rs.app('auth-gateway').env['TOKEN_ENCRYPTION_KEY'],
    ];
    const secretsInLogs = scanLinesForSecrets(rs.stack.logs.lines(), secrets);
    // Every service line of the run, for diagnosing what the reconciliation found (secrets checked above).
    const logFile = join(tmpdir(), `hubsync-chaos-${o.profile}-seed-${o.seed}-${t0}.log`);
    writeFileSync(logFile, `${rs.stack.logs.lines().join('\n')}\n`);
    log(`service logs: ${logFile}`);
    const dead = await rs.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync.dead_letters`);
    const failedJobs = await rs.db.query<{ kind: string; error: string | null }>(`SELECT kind, error_message AS error FROM sync.jobs WHERE status = 'failed' ORDER BY created_at LIMIT 20`);
    const counters = (await admin.counters(portalId)) as unknown as Record<string, unknown>;
    const totals = final.totals;
    const ok = isClean(final) && secretsInLogs.length === 0 && problems.length === 0;
    const { outDir: _outDir, echo: _echo, ...recordedOptions } = o;
    return {
      ok,
      seed: o.seed,
      profile: o.profile,
      minutes: o.minutes,
      commit: gitCommit(),
      startedAt: new Date(t0).toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      options: recordedOptions,
      setup: { portalId, organizationUid: tenant.organizationUid, connectionId, streams, initialLoadS },
      liveOps,
      faults,
      settle: { convergedAfterS: settled, reconciliations },
      totals,
      reconciliation: final,
      secretsInLogs,
      diagnosis,
      logFile,
      pipeline: { deadLetters: dead.rows[0].n, failedJobs: failedJobs.rows },
      sandboxCounters: counters,
      problems,
    };
  } finally {
    await tap.stop();
    await fleet.stopExtras().catch(() => undefined);
    await rs.stop();
  }
}

function must(what: string, a: { status: number; text: string; body: any }) {
  if (a.status >= 300) throw new Error(`${what} answered ${a.status}: ${a.text.slice(0, 400)}`);
  return a.body;
}

async function createEltSync(rs: ReliabilityStack, tenant: Tenant, connectionId: string, log: Log): Promise<string> {
  const elt = must('POST /elt_syncs', await rs.api('sync-api', { method: 'POST', path: '/elt_syncs', apiKey: tenant.apiKey, body: { connection_id: connectionId } }));
  // Stanna's models come from a full ingest run (deals, companies, contacts, activities).
  must('POST /api/ingest/run', await rs.api('sync-api', { method: 'POST', path: '/api/ingest/run', apiKey: tenant.apiKey, body: {} }));
  log(`ELT sync ${elt.id} created; ingest run requested`);
  return elt.id;
}

/** Selects every stream the connection offers (new ones get their initial load); answers all selected. */
async function addAvailableStreams(rs: ReliabilityStack, tenant: Tenant, eltSyncId: string, log: Log): Promise<string[]> {
  const available = must('GET available_source_streams', await rs.api('sync-api', { method: 'GET', path: `/elt_syncs/${eltSyncId}/available_source_streams`, apiKey: tenant.apiKey }));
  const names: string[] = available.data.map((s: { name: string }) => s.name);
  const added = available.data.filter((s: { selected: boolean }) => !s.selected).map((s: { name: string }) => s.name);
  if (added.length > 0) {
    must('POST source_streams', await rs.api('sync-api', { method: 'POST', path: `/elt_syncs/${eltSyncId}/source_streams`, apiKey: tenant.apiKey, body: { source_streams: added.map((name: string) => ({ name })) } }));
    log(`streams added: ${added.join(', ')}`);
  }
  return names;
}

async function waitForCustomStream(rs: ReliabilityStack, tenant: Tenant, eltSyncId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const available = await rs.api('sync-api', { method: 'GET', path: `/elt_syncs/${eltSyncId}/available_source_streams`, apiKey: tenant.apiKey });
    if ((available.body?.data ?? []).some((s: { custom: boolean }) => s.custom)) return true;
    await sleep(2_000);
  }
  return false;
}

/** Reconciles every 10 s until clean; answers the seconds it took, or null at the timeout (last result logged). */
async function waitUntilClean(
  rs: ReliabilityStack,
  tenant: Tenant,
  portalId: number,
  streams: string[],
  mergedAway: Record<string, Set<string>>,
  timeoutSeconds: number,
  log: Log,
  label: string,
  onCheck?: () => void,
): Promise<number | null> {
  const start = Date.now();
  let lastLogged = 0;
  for (;;) {
    onCheck?.();
    let summary: string;
    try {
      const r = await reconcile({ db: rs.db, admin: rs.admin, portalId, organizationUid: tenant.organizationUid, objectTypes: streams, mergedAway });
      if (isClean(r)) return Math.round((Date.now() - start) / 100) / 10;
      summary = JSON.stringify(r.totals);
    } catch (error) {
      summary = `reconciliation failed: ${(error as Error).message}`;
    }
    const elapsed = (Date.now() - start) / 1000;
    if (elapsed >= timeoutSeconds) {
      log(`${label}: not converged after ${Math.round(elapsed)} s: ${summary}`);
      return null;
    }
    if (Date.now() - lastLogged > 20_000) {
      lastLogged = Date.now();
      log(`${label}: ${Math.round(elapsed)} s, ${summary}`);
    }
    await sleep(10_000);
  }
}

/** `POST /elt_streams/{id}/request_run` for every stream: an association and delete sweep now. */
async function requestSweeps(rs: ReliabilityStack, tenant: Tenant, log: Log): Promise<void> {
  const syncs = await rs.api('sync-api', { method: 'GET', path: '/elt_syncs', apiKey: tenant.apiKey });
  let requested = 0;
  for (const sync of syncs.body?.data ?? []) {
    for (const stream of sync.source_streams ?? []) {
      const answer = await rs.api('sync-api', { method: 'POST', path: `/elt_streams/${stream.id}/request_run`, apiKey: tenant.apiKey });
      if (answer.status < 300) requested++;
      else log(`request_run ${stream.name} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    }
  }
  log(`association and delete sweeps requested for ${requested} streams`);
}

interface FaultContext {
  rs: ReliabilityStack;
  problems: string[];
  fleet: FetcherFleet;
  merger: Merger;
  tenant: Tenant;
  portalId: number;
  rng: SeededRandom;
  phaseStart: number;
  log: Log;
}

async function applyFault(fault: PlannedFault, c: FaultContext): Promise<FaultRecord> {
  const started = Date.now();
  const record: FaultRecord = { kind: fault.kind, plannedAt: fault.at, startedAt: round((started - c.phaseStart) / 1000), tookS: 0, recoveredAfterS: null, detail: '' };
  try {
    switch (fault.kind) {
      case 'kill-fetcher':
        record.detail = `SIGKILL ${await c.fleet.killOne(c.rng, fault.value)}, down ${fault.value} s`;
        break;
      case 'kill-mapper':
        await c.rs.stack.kill('mapper');
        await sleep(fault.value * 1000);
        record.detail = `SIGKILL mapper, down ${fault.value} s${await supervise(c, 'mapper')}`;
        break;
      case 'restart-nats':
        await c.rs.stack.nats.restart();
        record.detail = 'nats-server stopped and started (same port and store)';
        break;
      case 'restart-postgres':
        await c.rs.stack.postgres.restart();
        record.detail = 'PostgreSQL stopped (fast shutdown) and started';
        break;
      case 'scale-fetchers': {
        const from = c.fleet.size;
        await c.fleet.scaleTo(fault.value);
        record.detail = `fetchers ${from} → ${fault.value}`;
        break;
      }
      case 'storm-429':
        await c.rs.admin.setKnobs(c.portalId, { stormSeconds: fault.value, stormRate: 0.9 });
        record.detail = `429 on 90% of requests for ${fault.value} s`;
        break;
      case 'merge':
        record.detail = await c.merger.mergeOne();
        break;
      case 'revoke-and-reconnect':
        record.detail = await revokeAndReconnect(c);
        break;
    }
  } catch (error) {
    record.error = (error as Error).message.slice(0, 500);
  }
  record.tookS = round((Date.now() - started) / 1000);
  c.log(`fault ${record.kind} at ${record.startedAt} s (${record.tookS} s): ${record.detail}${record.error ? ` — ERROR ${record.error}` : ''}`);
  return record;
}

/**
 * Starts an app again the way a process supervisor (Kubernetes, systemd) would: a failed start is
 * retried after a pause, up to 4 times. Every failed start is a finding, recorded with the app's
 * last log lines; the run goes on with the app up if a retry succeeded.
 */
async function supervise(c: FaultContext, app: ServiceApp): Promise<string> {
  const failures: string[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      await c.rs.stack.restart(app);
      if (failures.length === 0) return '';
      c.problems.push(...classifyStartFailures(app, failures));
      return `; restart failed ${failures.length} time(s) first`;
    } catch (error) {
      failures.push(`${(error as Error).message.split('\n')[0]} — last lines: ${c.rs.stack.logs.tail(app, 8).replace(/\s+/g, ' ').slice(-1200)}`);
      await sleep(2_000 * attempt);
    }
  }
  throw new Error(`${app} did not start again: ${failures.join(' | ')}`);
}

/**
 * A start that failed because the app's built JavaScript was being rewritten at that moment (another
 * build running in the same checkout: "Cannot find module") says nothing about the app; every other
 * failed start is a finding.
 */
export function classifyStartFailures(app: string, failures: string[]): string[] {
  return failures.filter((f) => !/Cannot find module/.test(f)).map((f) => `${app} failed to start after a SIGKILL (a supervisor retry succeeded): ${f}`);
}

/**
 * Revokes the portal's refresh token at HubSpot (an uninstall), waits until auth-gateway marks the
 * connection needs_reauth, then reconnects through the real OAuth flow.
 */
async function revokeAndReconnect(c: FaultContext): Promise<string> {
  const issued = await c.rs.admin.issued(c.portalId);
  const appId = issued.apps.find((a) => a.clientId === c.rs.stack.hubspotApp.clientId)?.appId;
  const live = issued.refreshTokens.filter((t) => t.appId === appId && !t.revoked);
  for (const t of live) await c.rs.admin.revokeRefreshToken(t.token);
  const revokedAt = Date.now();
  const connections = await c.rs.api('auth-gateway', { method: 'GET', path: '/connections', apiKey: c.tenant.apiKey });
  const id = connections.body?.data?.[0]?.id as string;
  let status = 'unknown';
  const deadline = revokedAt + 90_000;
  while (Date.now() < deadline) {
    const conn = await c.rs.api('auth-gateway', { method: 'GET', path: `/connections/${id}`, apiKey: c.tenant.apiKey }).catch(() => null);
    status = conn?.body?.status ?? status;
    if (status === 'needs_reauth') break;
    await sleep(500);
  }
  const detectedS = round((Date.now() - revokedAt) / 1000);
  if (status !== 'needs_reauth') throw new Error(`connection still ${status} ${detectedS} s after its refresh token was revoked`);
  const reconnected = await c.rs.connectOAuth(c.tenant, c.portalId);
  const after = await c.rs.api('auth-gateway', { method: 'GET', path: `/connections/${reconnected}`, apiKey: c.tenant.apiKey });
  if (after.body?.status !== 'active') throw new Error(`reconnect left the connection ${after.body?.status}`);
  return `revoked ${live.length} refresh token(s); needs_reauth after ${detectedS} s; reconnected (${reconnected === id ? 'same' : 'new'} connection) → active`;
}

/** Seconds from `since` until every service is ready and the mirror has a row written after it; null after the timeout. */
async function measureRecovery(rs: ReliabilityStack, fleet: FetcherFleet, tenant: Tenant, since: number, timeoutMs: number): Promise<number | null> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const processes = [...(['auth-gateway', 'sync-api', 'mapper'] as const).map((a) => rs.app(a)), ...fleet.processes()];
      const ready = await Promise.all(processes.map(async (p) => p.running && (await call(p.url, { method: 'GET', path: '/health/ready', timeoutMs: 2_000 })).status === 200));
      if (ready.every(Boolean)) {
        const r = await rs.db.query<{ flowing: boolean }>(`SELECT EXISTS (SELECT 1 FROM hubspot.objects WHERE organization_uid = $1 AND synced_at > to_timestamp($2 / 1000.0)) AS flowing`, [tenant.organizationUid, since]);
        if (r.rows[0].flowing) return round((Date.now() - since) / 1000);
      }
    } catch {
      // PostgreSQL or a service still coming back.
    }
    await sleep(500);
  }
  return null;
}

/** Merges through HubSpot's public API (`POST /crm/v3/objects/{type}/merge`) with a private-app token. */
class Merger {
  readonly mergedAway: Record<string, Set<string>> = {};

  private constructor(
    private readonly rs: ReliabilityStack,
    private readonly portalId: number,
    private readonly rng: SeededRandom,
    private readonly token: string,
  ) {}

  static async create(rs: ReliabilityStack, portalId: number, rng: SeededRandom): Promise<Merger> {
    const { token } = await rs.admin.createPrivateAppToken(portalId, [
      'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write',
      'crm.objects.deals.read', 'crm.objects.custom.read', 'crm.schemas.custom.read', 'tickets', 'sales-email-read',
    ]);
    return new Merger(rs, portalId, rng, token);
  }

  /**
   * Asks HubSpot's search (as a fetcher would) whether the record is findable at its current
   * last-modified value: by id, and in a window around that value. Tells a record the search index
   * never showed (the sandbox's side) from one the fetcher's cursors passed over.
   */
  async searchProbe(objectType: string, id: string, updatedMs: number): Promise<string> {
    const property = objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
    const search = async (filters: Array<Record<string, string>>) => {
      for (let attempt = 1; attempt <= 6; attempt++) {
        const answer = await call(this.rs.sandboxUrl, {
          method: 'POST',
          path: `/crm/v3/objects/${encodeURIComponent(objectType)}/search`,
          headers: { authorization: `Bearer ${this.token}` },
          body: { filterGroups: [{ filters }], properties: [property], limit: 100 },
        }).catch(() => null);
        if (answer?.status === 200) return answer.body as { results: Array<{ id: string; properties: Record<string, string | null> }> };
        await sleep(1_100 * attempt);
      }
      return null;
    };
    const byId = await search([{ propertyName: 'hs_object_id', operator: 'EQ', value: id }]);
    const window = await search([
      { propertyName: property, operator: 'GTE', value: String(updatedMs - 1) },
      { propertyName: property, operator: 'LTE', value: String(updatedMs + 1) },
    ]);
    const found = byId?.results.find((r) => r.id === id);
    const inWindow = window?.results.some((r) => r.id === id);
    return `search now: by id ${found ? `${property}=${found.properties[property]}` : byId ? 'not found' : 'failed'}, in a ±1 ms window on ${property} ${inWindow ? 'found' : window ? 'NOT found' : 'failed'}`;
  }

  async mergeOne(): Promise<string> {
    const type = this.rng.pick(['contacts', 'companies']);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const truth = await this.rs.admin.truth(this.portalId, type, { records: true });
      const live = (truth.records ?? []).filter((r) => !r.archived).map((r) => r.id).sort((a, b) => Number(a) - Number(b));
      if (live.length < 2) return `not enough live ${type} to merge`;
      const primary = live[this.rng.int(0, live.length - 1)];
      let merged = live[this.rng.int(0, live.length - 1)];
      if (merged === primary) merged = live[(live.indexOf(primary) + 1) % live.length];
      const answer = await call(this.rs.sandboxUrl, {
        method: 'POST',
        path: `/crm/v3/objects/${type}/merge`,
        headers: { authorization: `Bearer ${this.token}` },
        body: { primaryObjectId: primary, objectIdToMerge: merged },
      }).catch((error: Error) => ({ status: 0, text: error.message }));
      if (answer.status === 200) {
        (this.mergedAway[type] ??= new Set()).add(merged);
        return `${type} ${merged} merged into ${primary}`;
      }
      // 5xx, resets and 429 are the run's own faults; a record archived meanwhile answers 404.
      await sleep(300 * attempt);
    }
    throw new Error(`merge of ${type} failed 8 times`);
  }
}

async function progressLine(rs: ReliabilityStack, tenant: Tenant, phaseStart: number, log: Log): Promise<void> {
  try {
    const r = await rs.db.query<{ live: number; archived: number; assoc: number; jobs: number }>(
      `SELECT (SELECT count(*) FROM hubspot.objects WHERE organization_uid = $1 AND NOT archived)::int AS live,
              (SELECT count(*) FROM hubspot.objects WHERE organization_uid = $1 AND archived)::int AS archived,
              (SELECT count(*) FROM hubspot.associations WHERE organization_uid = $1)::int AS assoc,
              (SELECT count(*) FROM sync.jobs WHERE organization_uid = $1 AND status IN ('queued','running'))::int AS jobs`,
      [tenant.organizationUid],
    );
    const x = r.rows[0];
    log(`  +${Math.round((Date.now() - phaseStart) / 1000)} s: mirror ${x.live} live, ${x.archived} archived, ${x.assoc} associations; ${x.jobs} jobs open`);
  } catch (error) {
    log(`  progress unavailable: ${(error as Error).message}`);
  }
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
