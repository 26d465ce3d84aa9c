import { LoggerService } from '@nestjs/common';
import { isProviderError } from '@hubsync/hubspot';
import { FetchContext, isStopped } from '../fetch/fetch-context';
import { JobsRepository } from '../jobs/jobs.repository';
import { PortalsRepository, StreamRow } from '../portals/portals.repository';
import { FetcherSettings } from '../settings/fetcher-settings';
import { associationPairs } from '../strategies/associations/association-pairs';
import { AssociationSweepStrategy } from '../strategies/associations/association-sweep.strategy';
import { DeleteSweepStrategy } from '../strategies/deletes/delete-sweep.strategy';
import { IncrementalStrategy } from '../strategies/incremental/incremental.strategy';
import { ReferenceDataStrategy } from '../strategies/reference/reference-data.strategy';
import { dueStreams, edgeFloorMs, nextEdgeInterval } from './sweep-plan';

/** What a portal driver lends its continuous sweeps. */
export interface SweepHost {
  portalId: string;
  signal: AbortSignal;
  context(connectionId: string, organizationUid: string): Promise<FetchContext>;
  /** Search requests per second the portal's limiter allows. */
  searchCapacity(): number;
  pausedUntil(): number;
  onError(error: unknown): boolean;
}

interface StreamState extends StreamRow {
  nextEdgeAt: number;
  edgeIntervalMs: number;
  nextLagAt: number;
  nextDeleteAt: number | null;
  lastChangeAt: number;
  running: boolean;
  failures: number;
}

interface ConnectionState {
  connectionId: string;
  organizationUid: string;
  nextAssociationsAt: number | null;
  nextSchemaAt: number | null;
}

/** Sweeps at once per portal: edge and lag sweeps share the search budget; maintenance runs beside. */
const SWEEP_SLOTS = 2;
const REFRESH_MS = 10_000;
const MAX_ERROR_BACKOFF_MS = 5 * 60_000;

/**
 * The per-portal search scheduler for continuous sweeps (issue 5 §3, §5): every stream gets a
 * bleeding-edge sweep (target EDGE_INTERVAL) and a lagging sweep (every LAG_SWEEP_INTERVAL, LAG_WINDOW
 * behind). Intervals adapt: a type that showed changes is swept again at the target interval, a
 * quiet one backs off (up to 8×), and the whole set is stretched so edge sweeps plan with at most
 * half the search budget — hot types go first. Delete sweeps, association sweeps and schema
 * re-introspection run periodically in a maintenance slot.
 */
export class ContinuousSweeps {
  constructor(
    private readonly deps: {
      settings: FetcherSettings;
      portals: PortalsRepository;
      jobs: JobsRepository;
      incremental: IncrementalStrategy;
      deletes: DeleteSweepStrategy;
      associations: AssociationSweepStrategy;
      reference: ReferenceDataStrategy;
      log: LoggerService;
    },
  ) {}

  async run(host: SweepHost): Promise<void> {
    const streams = new Map<string, StreamState>();
    const connections = new Map<string, ConnectionState>();
    const running = new Set<Promise<void>>();
    let maintenance: Promise<void> | null = null;
    let refreshedAt = 0;

    while (!host.signal.aborted) {
      const now = Date.now();
      if (host.pausedUntil() > now) {
        await sleep(Math.min(host.pausedUntil() - now, 60_000), host.signal);
        continue;
      }
      if (now - refreshedAt >= REFRESH_MS) {
        refreshedAt = now;
        await this.refresh(host, streams, connections).catch((e) => host.onError(e));
      }
      const edgeMinMs = edgeFloorMs(streams.size, host.searchCapacity());
      for (const stream of dueStreams(streams.values(), now)) {
        if (running.size >= SWEEP_SLOTS) break;
        const task = this.sweep(host, stream, edgeMinMs).finally(() => running.delete(task));
        running.add(task);
      }
      if (!maintenance) {
        const job = this.nextMaintenance(host, streams, connections, now);
        if (job) maintenance = job.finally(() => (maintenance = null));
      }
      const nextDue = Math.min(
        ...[...streams.values()].filter((s) => !s.running).map((s) => Math.min(s.nextEdgeAt, s.nextLagAt)),
        now + 1_000,
      );
      await Promise.race([sleep(Math.max(50, nextDue - Date.now()), host.signal), ...running]);
    }
    await Promise.allSettled([...running, ...(maintenance ? [maintenance] : [])]);
  }

  private async refresh(host: SweepHost, streams: Map<string, StreamState>, connections: Map<string, ConnectionState>): Promise<void> {
    const { settings } = this.deps;
    const rows = await this.deps.portals.streams(host.portalId);
    const seen = new Set<string>();
    const now = Date.now();
    for (const row of rows) {
      const key = `${row.connectionId}|${row.objectType}`;
      seen.add(key);
      if (!streams.has(key)) {
        streams.set(key, {
          ...row,
          nextEdgeAt: now,
          edgeIntervalMs: settings.edgeIntervalMs,
          nextLagAt: now + Math.min(settings.lagSweepIntervalMs, 1_000),
          nextDeleteAt: null,
          lastChangeAt: 0,
          running: false,
          failures: 0,
        });
      }
      if (!connections.has(row.connectionId)) {
        connections.set(row.connectionId, { connectionId: row.connectionId, organizationUid: row.organizationUid, nextAssociationsAt: null, nextSchemaAt: null });
      }
    }
    for (const key of [...streams.keys()]) if (!seen.has(key)) streams.delete(key);
    for (const id of [...connections.keys()]) if (!rows.some((r) => r.connectionId === id)) connections.delete(id);
  }

  private async sweep(host: SweepHost, stream: StreamState, edgeMinMs: number): Promise<void> {
    const { settings, incremental, log } = this.deps;
    stream.running = true;
    try {
      const ctx = await host.context(stream.connectionId, stream.organizationUid);
      if (stream.nextEdgeAt <= Date.now()) {
        const outcome = await incremental.edgeSweep(ctx, stream.objectType);
        if (outcome.records > 0) stream.lastChangeAt = Date.now();
        stream.edgeIntervalMs = nextEdgeInterval(stream.edgeIntervalMs, outcome.records > 0, settings.edgeIntervalMs);
        stream.nextEdgeAt = Date.now() + Math.max(stream.edgeIntervalMs, edgeMinMs);
      }
      if (stream.nextLagAt <= Date.now()) {
        await incremental.lagSweep(ctx, stream.objectType);
        stream.nextLagAt = Date.now() + settings.lagSweepIntervalMs;
      }
      stream.failures = 0;
    } catch (error) {
      if (isStopped(error) || host.signal.aborted) return;
      if (host.onError(error)) return;
      stream.failures++;
      const backoff = isProviderError(error) && error.kind === 'forbidden_scope' ? MAX_ERROR_BACKOFF_MS : Math.min(MAX_ERROR_BACKOFF_MS, 1_000 * 2 ** stream.failures);
      stream.nextEdgeAt = Date.now() + backoff;
      stream.nextLagAt = Math.max(stream.nextLagAt, Date.now() + backoff);
      log.warn?.(`portal ${host.portalId} ${stream.objectType} sweep failed (${stream.failures}): ${(error as Error).message}`);
    } finally {
      stream.running = false;
    }
  }

  /** The maintenance task due now, if any: delete sweeps, association sweeps, schema re-introspection. */
  private nextMaintenance(host: SweepHost, streams: Map<string, StreamState>, connections: Map<string, ConnectionState>, now: number): Promise<void> | null {
    const { settings } = this.deps;
    if (settings.deleteSweepIntervalMs > 0) {
      for (const stream of streams.values()) {
        if (stream.nextDeleteAt === null) {
          stream.nextDeleteAt = now + settings.deleteSweepIntervalMs / 4;
          void this.scheduleFromCheckpoint(host, stream).catch(() => undefined);
          continue;
        }
        if (stream.nextDeleteAt <= now) {
          stream.nextDeleteAt = now + settings.deleteSweepIntervalMs;
          return this.maintain(host, stream.connectionId, stream.organizationUid, `delete sweep ${stream.objectType}`, (ctx) => this.deps.deletes.run(ctx, stream.objectType));
        }
      }
    }
    for (const connection of connections.values()) {
      const types = [...streams.values()].filter((s) => s.connectionId === connection.connectionId).map((s) => s.objectType);
      if (settings.associationSweepIntervalMs > 0) {
        connection.nextAssociationsAt ??= now + settings.associationSweepIntervalMs / 4;
        if (connection.nextAssociationsAt <= now) {
          connection.nextAssociationsAt = now + settings.associationSweepIntervalMs;
          return this.maintain(host, connection.connectionId, connection.organizationUid, 'association sweep', async (ctx) => {
            for (const [fromType, toTypes] of associationPairs(types)) await this.deps.associations.run(ctx, fromType, toTypes, null);
          });
        }
      }
      if (settings.schemaSweepIntervalMs > 0) {
        connection.nextSchemaAt ??= now + settings.schemaSweepIntervalMs;
        if (connection.nextSchemaAt <= now) {
          connection.nextSchemaAt = now + settings.schemaSweepIntervalMs;
          return this.maintain(host, connection.connectionId, connection.organizationUid, 'schema introspection', async (ctx) => {
            // Every type of the portal, not only the synced ones: a custom object type created later
            // must reach hubspot.object_schemas, which is what sync-api offers as selectable streams.
            const result = await this.deps.reference.introspect(ctx, null);
            for (const [objectType, added] of Object.entries(result.newProperties)) {
              if (!types.includes(objectType)) continue;
              // A property that appeared later: backfill its stream so existing records get it.
              const id = await this.deps.jobs.enqueue({ organizationUid: connection.organizationUid, connectionId: connection.connectionId, portalId: host.portalId, kind: 'full_refresh', objectTypes: [objectType] });
              if (id) this.deps.log.log?.(`portal ${host.portalId}: new properties on ${objectType} (${added.join(', ')}); queued full refresh ${id}`);
            }
          });
        }
      }
    }
    return null;
  }

  /** Delete sweeps resume their rhythm from the last completed one (kept across drivers). */
  private async scheduleFromCheckpoint(host: SweepHost, stream: StreamState): Promise<void> {
    const ctx = await host.context(stream.connectionId, stream.organizationUid);
    const last = await this.deps.deletes.lastCompletedAt(ctx, stream.objectType);
    if (last !== null) stream.nextDeleteAt = last + this.deps.settings.deleteSweepIntervalMs;
  }

  private async maintain(host: SweepHost, connectionId: string, organizationUid: string, what: string, fn: (ctx: FetchContext) => Promise<unknown>): Promise<void> {
    try {
      const ctx = await host.context(connectionId, organizationUid);
      await fn(ctx);
    } catch (error) {
      if (isStopped(error) || host.signal.aborted || host.onError(error)) return;
      this.deps.log.warn?.(`portal ${host.portalId} ${what} failed: ${(error as Error).message}`);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
