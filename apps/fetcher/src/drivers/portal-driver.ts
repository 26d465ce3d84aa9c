import { setMaxListeners } from 'node:events';
import { LoggerService } from '@nestjs/common';
import { SyncJobKind, SyncJobRow } from '@hubsync/contracts';
import { HubspotPortalClient, isProviderError, PortalLimiter, PortalTransport, ProviderError, rateLimitProfile, RetryPolicy } from '@hubsync/hubspot';
import { KvLease, NatsRequester } from '@hubsync/messaging';
import { DataSource } from 'typeorm';
import { NatsTokenSource } from '../auth/nats-token-source';
import { takeOverFence } from '../checkpoints/fence-takeover';
import { isFencedOut } from '../checkpoints/fenced-out.error';
import { ConnectionSession, FetchContext, isStopped } from '../fetch/fetch-context';
import { FetchStore } from '../fetch/fetch-store';
import { mergeIdJobs, MergedIdRead } from '../jobs/id-jobs-merge';
import { ID_READ_LANE, JobRunner } from '../jobs/job-runner';
import { JobsRepository } from '../jobs/jobs.repository';
import { countAttempt } from '../metrics/request-tally';
import { FetcherMetrics } from '../metrics/fetcher-metrics';
import { OutputPublisher } from '../output/output-publisher';
import { PortalsRepository } from '../portals/portals.repository';
import { SchemaCatalog } from '../schema/schema-catalog';
import { FetcherSettings } from '../settings/fetcher-settings';
import { ContinuousSweeps } from './continuous-sweeps';

export interface DriverDeps {
  db: DataSource;
  settings: FetcherSettings;
  jobs: JobsRepository;
  portals: PortalsRepository;
  store: FetchStore;
  output: OutputPublisher;
  requester: NatsRequester;
  runner: JobRunner;
  sweeps: ContinuousSweeps;
  metrics: FetcherMetrics;
  log: LoggerService;
}

/**
 * Long jobs run one at a time per portal; short ones (pipelines for a waiting API call) beside them;
 * webhook re-reads (`fetch_by_ids`) in a loop of their own that takes all of them at once.
 */
const HEAVY_KINDS: SyncJobKind[] = ['full_sync', 'backfill', 'full_refresh', 'association_sweep', 'delete_sweep'];
const LIGHT_KINDS: SyncJobKind[] = ['schema_introspection', 'pipelines'];
/** Fallback only: a portal-work notice wakes the loops at once. */
const IDLE_POLL_MS = 2_000;
/** Webhook jobs merged into one round of reads at most (≈ a few hundred ids; reads go 100 ids a call). */
const MAX_ID_JOBS_PER_ROUND = 200;
/**
 * Burst-window slots sweeps leave to webhook re-reads (4 of a public app's 88 at the 80% share), so a
 * re-read never waits for a window that sweeps filled; the total stays within the share.
 */
const ID_READ_RESERVE = 4;
const STATS_INTERVAL_MS = 5_000;

/**
 * Drives one portal while holding its lease (DESIGN §5): claims and runs its jobs, runs its
 * continuous sweeps, all under one limiter; renews the lease every third of its TTL; every write is
 * fenced with the lease revision. Stops on hand-over, SIGTERM (checkpoints stand, lease released at
 * once) or a lost lease (nothing more is written).
 */
export class PortalDriver {
  private readonly abort = new AbortController();
  private limiter?: PortalLimiter;
  private readonly sessions = new Map<string, Promise<ConnectionSession>>();
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  /** Bumped by every wake(): a loop that saw it change while it was querying looks again instead of sleeping. */
  private wakeSeq = 0;
  private pausedUntil = 0;
  private stopped?: Promise<void>;
  private lostLease = false;
  private lastRenewal = Date.now();
  private snapshotToRestore: Parameters<PortalLimiter['restore']>[0] | null = null;
  private timeZone: string | null = null;
  readonly runningJobs = new Set<string>();
  /** Resolves when the driver has ended for any reason. */
  readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    readonly portalId: string,
    private readonly lease: KvLease,
    private readonly deps: DriverDeps,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    // Every waiting page, limiter slot and sleep listens to this one signal.
    setMaxListeners(0, this.abort.signal);
  }

  get fence(): number {
    return this.lease.revision;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isBusyWithJob(): boolean {
    return this.runningJobs.size > 0;
  }

  async start(): Promise<void> {
    const { deps } = this;
    const owner = await deps.jobs.connectionOf(this.portalId);
    if (owner) {
      const adopted = await deps.portals.adopt(this.portalId, owner.organizationUid, owner.connectionId, deps.settings.fetcherId, this.fence);
      this.snapshotToRestore = adopted.snapshot;
      this.timeZone = adopted.timeZone;
      if (adopted.pausedUntil && adopted.pausedUntil.getTime() > Date.now()) this.pausedUntil = adopted.pausedUntil.getTime();
    }
    await takeOverFence(deps.db, this.portalId, this.fence);
    deps.log.log?.(`driving portal ${this.portalId} (lease revision ${this.fence})`);
    this.loops = [
      this.renewLoop(),
      this.jobLoop(HEAVY_KINDS),
      this.jobLoop(LIGHT_KINDS),
      this.idJobLoop(),
      this.statsLoop(),
      deps.settings.incrementalEnabled ? deps.sweeps.run(this.sweepHost()) : Promise.resolve(),
    ];
  }

  /** New work was announced: look at the jobs table now. */
  wake(): void {
    this.wakeSeq++;
    for (const waker of [...this.wakers]) waker();
  }

  /**
   * Stops: no new pages start, running ones get `graceMs` to publish and checkpoint, the limiter
   * state is saved for the next driver, the lease is released (unless it was lost).
   */
  stop(reason: string, graceMs = this.deps.settings.driverStopGraceMs): Promise<void> {
    this.stopped ??= (async () => {
      this.deps.log.log?.(`stopping portal ${this.portalId}: ${reason}`);
      this.abort.abort();
      this.wake();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(this.loops), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      this.limiter?.close('driver stopped');
      if (!this.lostLease) {
        if (this.limiter) await this.deps.portals.saveLimiter(this.portalId, this.limiter.snapshot(), this.limiter.stats(), this.fence, true).catch(() => undefined);
        await this.lease.release().catch((e) => this.deps.log.warn?.(`releasing lease of portal ${this.portalId}: ${(e as Error).message}`));
      }
      this.resolveEnded();
    })();
    return this.stopped;
  }

  /** A FetchContext for one of the portal's connections. */
  async context(connectionId: string, organizationUid: string): Promise<FetchContext> {
    const session = await this.session(connectionId, organizationUid);
    return {
      session,
      fence: () => this.fence,
      signal: this.abort.signal,
      settings: this.deps.settings,
      store: this.deps.store,
      output: this.deps.output,
      log: this.deps.log,
    };
  }

  /** What the continuous sweeps need from the driver. */
  private sweepHost() {
    return {
      portalId: this.portalId,
      signal: this.abort.signal,
      context: (connectionId: string, organizationUid: string) => this.context(connectionId, organizationUid),
      searchCapacity: () => this.limiter?.searchCapacity ?? Math.max(1, Math.floor(5 * this.deps.settings.share)),
      pausedUntil: () => this.pausedUntil,
      onError: (error: unknown) => this.handleError(error),
    };
  }

  private session(connectionId: string, organizationUid: string): Promise<ConnectionSession> {
    let session = this.sessions.get(connectionId);
    if (!session) {
      session = this.createSession(connectionId, organizationUid);
      this.sessions.set(connectionId, session);
      session.catch(() => this.sessions.delete(connectionId));
    }
    return session;
  }

  private async createSession(connectionId: string, organizationUid: string): Promise<ConnectionSession> {
    const { settings, metrics } = this.deps;
    const tokens = new NatsTokenSource(this.deps.requester, connectionId, settings.authRequestTimeoutMs);
    const reply = await tokens.reply();
    if (reply.portalId && String(reply.portalId) !== this.portalId) {
      throw new ProviderError('invalid_request', `connection ${connectionId} belongs to portal ${reply.portalId}, not ${this.portalId}`);
    }
    const firstSession = !this.limiter;
    if (!this.limiter) {
      this.limiter = new PortalLimiter({
        profile: rateLimitProfile(reply.authType === 'private_app' ? 'private' : 'public', settings.defaultTier),
        share: settings.share,
        searchShare: settings.searchShare,
        windowMarginMs: settings.windowMarginMs,
        timeZone: this.timeZone ?? 'UTC',
        laneWeights: { edge: 2, lag: 1, backfill: 2, default: 2 },
        // Webhook re-reads go ahead of sweep pages, with a few slots per window kept for them.
        priorityLanes: [ID_READ_LANE],
        priorityReserve: ID_READ_RESERVE,
      });
      if (this.snapshotToRestore) this.limiter.restore(this.snapshotToRestore);
    }
    const transport = new PortalTransport({
      basePath: settings.apiBaseUrl,
      tokens,
      limiter: this.limiter,
      retry: new RetryPolicy({ maxTransientAttempts: settings.retryMaxAttempts, baseDelayMs: settings.retryBaseMs, maxDelayMs: settings.retryMaxDelayMs }),
      requestTimeoutMs: settings.requestTimeoutMs,
      onAttempt: (event) => {
        countAttempt(event.status);
        metrics.attempt(this.portalId, event.bucket, event.status, event.kind);
      },
    });
    const client = new HubspotPortalClient(transport, settings.apiBaseUrl);
    if (firstSession && !this.timeZone) {
      // The daily budget resets at midnight in the portal's time zone.
      try {
        const account = await client.accountDetails({ signal: this.abort.signal });
        this.timeZone = account.timeZone;
        this.limiter.setTimeZone(account.timeZone);
        await this.deps.portals.setTimeZone(this.portalId, account.timeZone, this.fence);
      } catch (error) {
        this.deps.log.warn?.(`account details of portal ${this.portalId}: ${(error as Error).message}; daily budget in UTC`);
      }
    }
    return { organizationUid, connectionId, portalId: this.portalId, client, schema: new SchemaCatalog(client) };
  }

  private async jobLoop(kinds: SyncJobKind[]): Promise<void> {
    const { deps } = this;
    while (!this.abort.signal.aborted) {
      try {
        if (this.pausedUntil > Date.now()) {
          await this.sleep(Math.min(this.pausedUntil - Date.now(), 60_000));
          continue;
        }
        const seen = this.wakeSeq;
        const job = await deps.jobs.claimNext(this.portalId, this.fence, kinds, [...this.runningJobs]);
        if (!job) {
          if (seen === this.wakeSeq) await this.sleep(IDLE_POLL_MS);
          continue;
        }
        await this.runJob(job);
      } catch (error) {
        if (!this.handleError(error)) await this.sleep(1_000);
      }
    }
  }

  /**
   * Webhook re-reads: every open `fetch_by_ids` job of the portal is claimed at once, their ids merged
   * per connection and type into batch reads, and the jobs finished together — while one round runs,
   * the next deliveries pile up and become the next round, so the cost per change falls as the rate
   * rises. Jobs with a run go one by one (their batches are counted per run).
   */
  private async idJobLoop(): Promise<void> {
    const { deps } = this;
    while (!this.abort.signal.aborted) {
      try {
        if (this.pausedUntil > Date.now()) {
          await this.sleep(Math.min(this.pausedUntil - Date.now(), 60_000));
          continue;
        }
        const seen = this.wakeSeq;
        const jobs = await deps.jobs.claimIdJobs(this.portalId, this.fence, [...this.runningJobs], MAX_ID_JOBS_PER_ROUND);
        if (jobs.length === 0) {
          if (seen === this.wakeSeq) await this.sleep(IDLE_POLL_MS);
          continue;
        }
        // One round at a time: 2 and 3 rounds at once gave smaller merges, more requests and a slower
        // p95 in the freshness bench on the loaded 2-core machine.
        await this.runIdRound(jobs).catch((error) => void this.handleError(error));
      } catch (error) {
        if (!this.handleError(error)) await this.sleep(1_000);
      }
    }
  }

  private async runIdRound(jobs: SyncJobRow[]): Promise<void> {
    // Marked before the next claim, which must not take them again (it also claims `running` jobs).
    for (const job of jobs) this.runningJobs.add(job.id);
    try {
      const { merged, separate } = mergeIdJobs(jobs);
      await Promise.all(merged.map((read) => this.runMergedRead(read, jobs)));
      for (const job of separate) await this.runJob(job);
    } finally {
      for (const job of jobs) this.runningJobs.delete(job.id);
    }
  }

  private async runMergedRead(read: MergedIdRead, claimed: SyncJobRow[]): Promise<void> {
    const { deps } = this;
    try {
      const ctx = await this.context(read.connectionId, read.organizationUid);
      await deps.runner.fetchMergedByIds(ctx, read);
      await deps.jobs.finishMany(read.jobIds, this.fence, 'done', null);
      for (let i = 0; i < read.jobIds.length; i++) deps.metrics.job('fetch_by_ids', 'done');
    } catch (error) {
      if (isStopped(error) || this.abort.signal.aborted) return; // they stay running; the next driver resumes them
      if (isFencedOut(error)) throw error;
      if (isProviderError(error) && error.kind === 'rate_limited' && error.details.policy === 'DAILY') {
        this.handleError(error);
        return;
      }
      // One bad job (an unknown type, say) must not fail the others: each runs alone and fails alone.
      deps.log.warn?.(`portal ${this.portalId}: merged read of ${read.jobIds.length} webhook job(s) failed (${describe(error)}); running them one by one`);
      for (const job of claimed.filter((j) => read.jobIds.includes(j.id))) await this.runJob(job);
    }
  }

  private async runJob(job: SyncJobRow): Promise<void> {
    const { deps } = this;
    this.runningJobs.add(job.id);
    deps.log.log?.(`portal ${this.portalId}: job ${job.id} ${job.kind}${job.mode ? ` (${job.mode})` : ''} attempt ${job.attempts}`);
    try {
      const ctx = await this.context(job.connection_id, job.organization_uid);
      await deps.runner.run(ctx, job);
      await deps.jobs.finish(job.id, this.fence, 'done', null);
      deps.metrics.job(job.kind, 'done');
      deps.log.log?.(`portal ${this.portalId}: job ${job.id} done`);
    } catch (error) {
      if (isStopped(error) || this.abort.signal.aborted) return; // stays running; the next driver resumes it
      if (isFencedOut(error)) throw error;
      if (isProviderError(error) && error.kind === 'rate_limited' && error.details.policy === 'DAILY') {
        // Not a failure: the portal pauses until midnight in its time zone and the job resumes then.
        this.handleError(error);
        return;
      }
      const message = describe(error);
      deps.log.warn?.(`portal ${this.portalId}: job ${job.id} ${job.kind} failed: ${message}`);
      if (job.run_id) await deps.store.objectRuns.failOpen(job.run_id, message, this.fence);
      await deps.jobs.finish(job.id, this.fence, 'failed', message);
      deps.metrics.job(job.kind, 'failed');
    } finally {
      this.runningJobs.delete(job.id);
    }
  }

  /** Reacts to errors no strategy handles; true when handled (no extra back-off needed). */
  private handleError(error: unknown): boolean {
    if (isStopped(error)) return true;
    if (isFencedOut(error)) {
      this.deps.log.warn?.(`portal ${this.portalId}: ${(error as Error).message}; stopping without further writes`);
      this.lostLease = true;
      void this.stop('fenced out');
      return true;
    }
    if (isProviderError(error) && error.kind === 'rate_limited' && error.details.policy === 'DAILY') {
      const until = error.details.retryAt?.getTime() ?? Date.now() + 3_600_000;
      if (until > this.pausedUntil) {
        this.pausedUntil = until;
        this.deps.log.warn?.(`portal ${this.portalId}: daily request budget spent, paused until ${new Date(until).toISOString()}`);
        void this.deps.portals.pause(this.portalId, new Date(until), 'DAILY rate limit', this.fence).catch(() => undefined);
      }
      return true;
    }
    this.deps.log.warn?.(`portal ${this.portalId}: ${describe(error)}`);
    return false;
  }

  private async renewLoop(): Promise<void> {
    const interval = Math.max(200, Math.floor(this.deps.settings.leaseTtlMs / 3));
    while (!this.abort.signal.aborted) {
      await this.sleep(interval, false);
      if (this.abort.signal.aborted) return;
      try {
        if (await this.lease.renew()) {
          this.lastRenewal = Date.now();
          continue;
        }
        this.deps.log.warn?.(`portal ${this.portalId}: lease lost (another fetcher took it)`);
      } catch (error) {
        if (Date.now() - this.lastRenewal < this.deps.settings.leaseTtlMs) continue;
        this.deps.log.warn?.(`portal ${this.portalId}: lease not renewed within its TTL: ${(error as Error).message}`);
      }
      this.lostLease = true;
      void this.stop('lease lost');
      return;
    }
  }

  private async statsLoop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await this.sleep(STATS_INTERVAL_MS, false);
      if (!this.limiter || this.abort.signal.aborted) continue;
      const stats = this.limiter.stats();
      this.deps.metrics.usage(this.portalId, stats);
      if (this.pausedUntil && this.pausedUntil <= Date.now()) {
        this.pausedUntil = 0;
        await this.deps.portals.clearPause(this.portalId, this.fence).catch(() => undefined);
      }
      await this.deps.portals.saveLimiter(this.portalId, this.limiter.snapshot(), stats, this.fence).catch(() => undefined);
    }
  }

  private sleep(ms: number, wakeable = true): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.abort.signal.addEventListener('abort', done, { once: true });
      if (wakeable) this.wakers.add(done);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
