import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portalWorkSubject, SyncJobFilters, SyncJobKind, SYNC_WORK_STREAM } from '@hubsync/contracts';
import { runMigrations } from '@hubsync/persistence';
import { NatsHandle, PostgresHandle, SandboxHandle, startNats, startPostgres, startSandbox, waitFor } from '@hubsync/testing';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { AuthStub } from './auth-stub';
import { FetcherProcess } from './fetcher-process';
import { RecordCollector } from './record-collector';

export interface Connection {
  organizationUid: string;
  connectionId: string;
  portalId: number;
  token: string;
  /** The sandbox private app behind the token (changing its scopes replaces the token). */
  appId: number;
}

/** Settings that keep integration runs short (every time constant is configuration). */
export const FAST_FETCHER_ENV: Record<string, string> = {
  LEASE_TTL_MS: '3000',
  ADOPTION_SWEEP_INTERVAL_MS: '500',
  HANDOVER_COOLDOWN_MS: '20000',
  DRIVER_STOP_GRACE_MS: '3000',
  EDGE_INTERVAL_MS: '1000',
  LAG_WINDOW_MS: '15000',
  LAG_SWEEP_INTERVAL_MS: '3000',
  DELETE_SWEEP_INTERVAL_MS: '0',
  ASSOCIATION_SWEEP_INTERVAL_MS: '0',
  SCHEMA_SWEEP_INTERVAL_MS: '0',
  HUBSPOT_RETRY_BASE_MS: '100',
  HUBSPOT_RETRY_MAX_DELAY_MS: '2000',
  HUBSPOT_RETRY_MAX_ATTEMPTS: '8',
  HUBSPOT_REQUEST_TIMEOUT_MS: '10000',
  WORK_ACK_WAIT_MS: '5000',
  LOG_LEVEL: 'info',
};

/**
 * PostgreSQL (migrated), NATS, the sandbox, an auth-gateway stand-in and a collector of what the
 * fetchers hand on; fetchers are child processes from built JavaScript.
 */
export class FetcherTestEnv {
  pg!: PostgresHandle;
  nats!: NatsHandle;
  sandbox!: SandboxHandle;
  auth = new AuthStub();
  collector = new RecordCollector();
  db!: Client;
  private nc!: NatsConnection;
  readonly fetchers: FetcherProcess[] = [];

  constructor(private readonly options: { database: string; sandboxEnv?: Record<string, string> }) {}

  async start(): Promise<void> {
    this.pg = await startPostgres({ database: this.options.database });
    await runMigrations(this.pg.databaseUrl);
    this.nats = await startNats();
    this.sandbox = await startSandbox({ env: this.options.sandboxEnv ?? {} });
    await this.auth.start(this.nats.natsUrl);
    await this.collector.start(this.nats.natsUrl);
    this.db = new Client({ connectionString: this.pg.databaseUrl });
    await this.db.connect();
    this.nc = await connect({ servers: this.nats.natsUrl, name: 'fetcher-test' });
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.streams.info(SYNC_WORK_STREAM.name);
    } catch {
      await jsm.streams.add({ name: SYNC_WORK_STREAM.name, subjects: SYNC_WORK_STREAM.subjects, retention: 'workqueue' as never });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.fetchers.map((f) => f.stop(5_000).catch(() => undefined)));
    // FETCHER_TEST_LOG_DIR keeps the fetchers' logs of a run for diagnosis.
    const logDir = process.env['FETCHER_TEST_LOG_DIR'];
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      for (const f of this.fetchers) writeFileSync(join(logDir, `${this.options.database}-${f.name}.log`), f.output());
    }
    await this.collector.stop().catch(() => undefined);
    await this.auth.stop().catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    await this.sandbox?.stop().catch(() => undefined);
    await this.nats?.stop().catch(() => undefined);
    await this.pg?.stop().catch(() => undefined);
  }

  /** A sandbox portal with a private-app token registered with the auth stand-in. */
  async connectPortal(options: { timeZone?: string; authType?: 'oauth' | 'private_app'; scopes?: string[] } = {}): Promise<Connection> {
    const portal = await this.sandbox.admin.createPortal({ timeZone: options.timeZone ?? 'Europe/Berlin', tier: 'professional' });
    const scopes = options.scopes ?? ALL_READ_SCOPES;
    const { token, appId } = await this.sandbox.admin.createPrivateAppToken(portal.portalId, scopes, 'professional');
    const connection = { organizationUid: randomUUID(), connectionId: randomUUID(), portalId: portal.portalId, token, appId };
    this.auth.register(connection.connectionId, portal.portalId, token, options.authType ?? 'private_app');
    return connection;
  }

  async startFetcher(name: string, env: Record<string, string> = {}): Promise<FetcherProcess> {
    const fetcher = new FetcherProcess(name, {
      ...FAST_FETCHER_ENV,
      DATABASE_URL: this.pg.databaseUrl,
      NATS_URL: this.nats.natsUrl,
      HUBSPOT_API_BASE_URL: this.sandbox.url,
      ...env,
    });
    this.fetchers.push(fetcher);
    await fetcher.start();
    return fetcher;
  }

  /** Inserts a run (with pending object runs) and a job the way sync-api does, then the notice. */
  async queueJob(connection: Connection, job: { kind: SyncJobKind; objectTypes: string[]; filters?: SyncJobFilters; mode?: 'full' | 'catalog_only' | null; withRun?: boolean; notify?: boolean }): Promise<{ jobId: string; runId: string | null }> {
    let runId: string | null = null;
    if (job.withRun ?? true) {
      const run = await this.db.query(`INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind, mode) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
        connection.organizationUid,
        connection.connectionId,
        String(connection.portalId),
        job.kind,
        job.mode ?? null,
      ]);
      runId = run.rows[0].id;
      if (job.objectTypes.length) {
        await this.db.query(`INSERT INTO sync.object_runs (run_id, organization_uid, object_type) SELECT $1, $2, unnest($3::text[])`, [runId, connection.organizationUid, job.objectTypes]);
      }
    }
    const inserted = await this.db.query(
      `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, filters, mode, run_id, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'api') RETURNING id`,
      [connection.organizationUid, connection.connectionId, String(connection.portalId), job.kind, job.objectTypes, JSON.stringify(job.filters ?? {}), job.mode ?? null, runId],
    );
    const jobId = inserted.rows[0].id as string;
    if (job.notify ?? true) {
      const payload = { organizationUid: connection.organizationUid, connectionId: connection.connectionId, portalId: String(connection.portalId), jobId };
      await this.nc.jetstream().publish(portalWorkSubject(String(connection.portalId)), new TextEncoder().encode(JSON.stringify(payload)), { msgID: jobId });
    }
    return { jobId, runId };
  }

  async job(jobId: string): Promise<{ status: string; error_message: string | null; attempts: number }> {
    return (await this.db.query(`SELECT status, error_message, attempts FROM sync.jobs WHERE id = $1`, [jobId])).rows[0];
  }

  async waitForJob(jobId: string, timeoutMs: number): Promise<{ status: string; error_message: string | null; attempts: number }> {
    return waitFor(`job ${jobId} to finish`, async () => {
      const job = await this.job(jobId);
      return job.status === 'done' || job.status === 'failed' ? job : null;
    }, timeoutMs, 500);
  }

  async objectRuns(runId: string): Promise<Record<string, any>[]> {
    return (await this.db.query(`SELECT * FROM sync.object_runs WHERE run_id = $1 ORDER BY object_type`, [runId])).rows;
  }

  /** Waits until what the collector holds for `objectType` equals the sandbox's ground truth. */
  async waitForTruth(connection: Connection, objectType: string, timeoutMs: number, options: { archivedMayBeUnknown?: boolean } = {}): Promise<void> {
    let last = '';
    try {
      await waitFor(`${objectType} to equal the sandbox's ground truth`, async () => {
        const diff = await this.truthDiff(connection, objectType, options);
        last = diff;
        return diff === '' ? true : null;
      }, timeoutMs, 1_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nlast difference: ${last}`);
    }
  }

  /** '' when equal; else a description of the first differences. */
  async truthDiff(connection: Connection, objectType: string, options: { archivedMayBeUnknown?: boolean } = {}): Promise<string> {
    const truth = await this.sandbox.admin.truth(connection.portalId, objectType, { records: true });
    const seen = this.collector.of(connection.connectionId, truth.objectTypeId.startsWith('2-') ? truth.objectTypeId : objectType);
    const problems: string[] = [];
    for (const r of truth.records ?? []) {
      const mine = seen.get(r.id);
      if (!mine) {
        if (r.archived && options.archivedMayBeUnknown) continue;
        problems.push(`missing ${r.id}${r.archived ? ' (archived)' : ''}`);
      } else if (r.archived !== mine.archived) {
        problems.push(`${r.id} archived ${mine.archived}, truth ${r.archived}`);
      } else if (!r.archived && mine.updatedAtMs !== r.updatedAtMs) {
        problems.push(`${r.id} updatedAt ${mine.updatedAtMs}, truth ${r.updatedAtMs}`);
      }
    }
    const truthIds = new Set((truth.records ?? []).map((r) => r.id));
    for (const id of seen.keys()) if (!truthIds.has(id)) problems.push(`unknown id ${id}`);
    return problems.length ? `${problems.length} differences, e.g. ${problems.slice(0, 8).join('; ')}` : '';
  }
}

export const ALL_READ_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.objects.custom.read',
  'crm.schemas.custom.read',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
  'crm.objects.owners.read',
  'crm.objects.line_items.read',
  'crm.objects.quotes.read',
  'tickets',
  'e-commerce',
  'sales-email-read',
];
