import { LoggerService } from '@nestjs/common';
import { SyncJobRow } from '@hubsync/contracts';
import { isProviderError, MAX_CURSOR_FILTERS, SearchFilter } from '@hubsync/hubspot';
import { FetchContext, isStopped } from '../fetch/fetch-context';
import { PortalsRepository } from '../portals/portals.repository';
import { AssociationSweepStrategy } from '../strategies/associations/association-sweep.strategy';
import { associationPairs } from '../strategies/associations/association-pairs';
import { BackfillStrategy } from '../strategies/backfill/backfill.strategy';
import { DeleteSweepStrategy } from '../strategies/deletes/delete-sweep.strategy';
import { KnownIdsRepository } from '../strategies/deletes/known-ids.repository';
import { ExanteSyncStrategy } from '../strategies/exante/exante-sync.strategy';
import { GATE_SYSTEM_FILTERS } from '../strategies/exante/reached-criteria.gate';
import { IncrementalStrategy } from '../strategies/incremental/incremental.strategy';
import { ReferenceDataStrategy } from '../strategies/reference/reference-data.strategy';
import { compileCriteria, dealStageFilter } from '../strategies/shared/criteria.compiler';
import { readRecords } from '../strategies/shared/record-reader';
import { RunTracker } from '../strategies/shared/run-tracker';
import { mapWithConcurrency } from './concurrency';
import { MergedIdRead } from './id-jobs-merge';
import { JobsRepository } from './jobs.repository';

/** A job failed; the message is what `sync.jobs.error_message` and status endpoints show. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

/** The limiter lane of webhook re-reads: the portal driver gives it priority over sweep pages. */
export const ID_READ_LANE = 'ids';

/** Object types a mirror sync covers when the job names none (standard types the scopes allow, custom objects). */
const DEFAULT_BACKFILL_TYPES = ['companies', 'contacts', 'deals', 'calls', 'emails', 'meetings', 'notes', 'tasks'];

export interface JobRunnerDeps {
  backfill: BackfillStrategy;
  incremental: IncrementalStrategy;
  deletes: DeleteSweepStrategy;
  associations: AssociationSweepStrategy;
  reference: ReferenceDataStrategy;
  exante: ExanteSyncStrategy;
  portals: PortalsRepository;
  knownIds: KnownIdsRepository;
  jobs: JobsRepository;
  log: LoggerService;
}

/** Runs one claimed job with the strategies its kind needs (issue 5 §1, §5, §6). */
export class JobRunner {
  constructor(private readonly deps: JobRunnerDeps) {}

  async run(ctx: FetchContext, job: SyncJobRow): Promise<void> {
    switch (job.kind) {
      case 'full_sync':
        return job.mode ? this.exante(ctx, job) : this.mirrorSync(ctx, job, { lookback: false });
      case 'backfill':
        return this.mirrorSync(ctx, job, { lookback: true });
      case 'full_refresh':
        return this.mirrorSync(ctx, job, { lookback: false, refresh: true });
      case 'fetch_by_ids':
        return this.fetchByIds(ctx, job);
      case 'association_sweep':
        return this.associationSweep(ctx, job);
      case 'delete_sweep':
        return this.deleteSweep(ctx, job);
      case 'schema_introspection': {
        const result = await this.deps.reference.introspect(ctx, job.object_types.length ? job.object_types : null);
        await this.refreshStreamsWithNewProperties(ctx, result.newProperties);
        return;
      }
      case 'pipelines': {
        const types = job.object_types.filter((t): t is 'deals' | 'tickets' => t === 'deals' || t === 'tickets');
        const forbidden = await this.deps.reference.pipelines(ctx, types.length ? types : ['deals', 'tickets']);
        if (Object.keys(forbidden).length === types.length && types.length) throw new JobFailure(describeForbidden(forbidden));
        return;
      }
      default:
        throw new JobFailure(`unknown job kind ${(job as SyncJobRow).kind}`);
    }
  }

  private async exante(ctx: FetchContext, job: SyncJobRow): Promise<void> {
    if (!job.run_id) throw new JobFailure('an Exante sync job needs a run');
    const stages = dealStageFilter(job.filters ?? {});
    // Criteria per synchronized entity (seed 004): deals' join the deal search (cursor + stage filters),
    // companies' and contacts' gate the reached records (one `hs_object_id IN` filter of its own).
    const criteria = await compileCriteria(job.filters ?? {}, ['deals', 'companies', 'contacts'], ctx.session.schema, ctx.settings.searchLimits, (t) =>
      t === 'deals' ? MAX_CURSOR_FILTERS + stages.length : GATE_SYSTEM_FILTERS,
    );
    await this.deps.exante.run(ctx, job, job.run_id, { system: stages, userGroups: criteria['deals'] ?? [] }, { companies: criteria['companies'] ?? [], contacts: criteria['contacts'] ?? [] });
  }

  /**
   * A mirror sync of object types (full sync, Stanna backfill with lookback, or full refresh of one
   * stream): schema, pipelines and owners, then a backfill per type (several at once), incremental
   * cursors from the start minus LAG_WINDOW so the continuous sweeps take over without a gap, and
   * the association sweep between the types.
   */
  private async mirrorSync(ctx: FetchContext, job: SyncJobRow, options: { lookback: boolean; refresh?: boolean }): Promise<void> {
    const { session } = ctx;
    const requested = job.object_types.length ? job.object_types : options.lookback ? DEFAULT_BACKFILL_TYPES : await session.schema.allTypes();
    const introspection = await this.deps.reference.introspect(ctx, requested);
    const forbidden = introspection.forbidden;
    const types = requested.filter((t) => !forbidden[t]);
    const createdAfterMs = options.lookback && job.filters?.createdAfter ? Date.parse(job.filters.createdAfter) : undefined;
    if (createdAfterMs !== undefined && Number.isNaN(createdAfterMs)) throw new JobFailure(`filters.createdAfter "${job.filters.createdAfter}" is not a timestamp`);
    const criteria = await compileCriteria(job.filters ?? {}, types, session.schema, ctx.settings.searchLimits);

    for (const [type, scope] of Object.entries(forbidden)) {
      if (job.run_id) {
        await ctx.store.objectRuns.start(job.run_id, session.organizationUid, type, ctx.fence(), 'forbidden');
        await ctx.store.objectRuns.finish(job.run_id, type, ctx.fence(), `missing scope ${scope} for ${type}`);
      }
    }
    if (!options.refresh) {
      await this.deps.reference.pipelines(ctx).catch((e) => this.deps.log.warn?.(`pipelines of portal ${session.portalId}: ${(e as Error).message}`));
      await this.deps.reference.owners(ctx).catch((e) => this.deps.log.warn?.(`owners of portal ${session.portalId}: ${(e as Error).message}`));
    }

    const startedAt = Date.now();
    const failures: string[] = [];
    const failedTypes = new Set<string>();
    await mapWithConcurrency(types, ctx.settings.fetchConcurrency, async (type) => {
      const tracker = new RunTracker(job.run_id, type);
      try {
        await tracker.start(ctx, 'backfill');
        await this.deps.incremental.initialise(ctx, type, startedAt - ctx.settings.lagWindowMs, !!options.refresh);
        if (ctx.settings.incrementalEnabled) {
          await this.deps.portals.enableStreams({ connectionId: session.connectionId, organizationUid: session.organizationUid, portalId: session.portalId }, [type]);
        }
        const filtered = createdAfterMs !== undefined || !!criteria[type];
        const method = ctx.settings.backfillMethod === 'auto' ? (filtered ? 'search' : 'list') : ctx.settings.backfillMethod;
        const info = await session.schema.info(type);
        await tracker.run(() =>
          this.deps.backfill.run(
            ctx,
            {
              objectType: info.name,
              runId: job.run_id,
              streamKey: `backfill:${job.id}:${info.name}`,
              sweepId: job.id,
              method: filtered ? 'search' : method,
              createdAfterMs,
              userGroups: criteria[type],
              onPage: info.hasArchivedListing ? undefined : (records, tx) => this.deps.knownIds.remember(session.organizationUid, session.connectionId, info.name, records.map((r) => r.id), tx),
            },
            tracker,
          ),
        );
        await tracker.finish(ctx);
      } catch (error) {
        if (isStopped(error)) throw error;
        const message = isProviderError(error) && error.kind === 'forbidden_scope' ? `missing scope ${error.details.requiredScopes?.join(' or ') || ''} for ${type}: ${error.message}` : (error as Error).message;
        failures.push(`${type}: ${message}`);
        failedTypes.add(type);
        await tracker.finish(ctx, message).catch(() => undefined);
        // A missing scope fails that object type only; the others go on (issue 5 §3).
        if (!(isProviderError(error) && error.kind === 'forbidden_scope')) throw error;
      }
    });

    const pairs = associationPairs(types.filter((t) => !failedTypes.has(t)));
    for (const [fromType, toTypes] of pairs) await this.deps.associations.run(ctx, fromType, toTypes, job.run_id);
    if (failures.length && failures.length === types.length) throw new JobFailure(failures.join('; '));
  }

  /** A property that appeared later: backfill its stream (if continuously synced) so existing records get it. */
  async refreshStreamsWithNewProperties(ctx: FetchContext, newProperties: Record<string, string[]>): Promise<void> {
    const { session } = ctx;
    const streams = new Set((await this.deps.portals.streams(session.portalId)).filter((s) => s.connectionId === session.connectionId).map((s) => s.objectType));
    for (const [objectType, added] of Object.entries(newProperties)) {
      if (!streams.has(objectType)) continue;
      const id = await this.deps.jobs.enqueue({ organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, kind: 'full_refresh', objectTypes: [objectType] });
      if (id) this.deps.log.log?.(`portal ${session.portalId}: new properties on ${objectType} (${added.join(', ')}); queued full refresh ${id}`);
    }
  }

  private async fetchByIds(ctx: FetchContext, job: SyncJobRow): Promise<void> {
    const { session } = ctx;
    const ids = job.filters?.ids ?? {};
    for (const [type, list] of Object.entries(ids)) {
      if (!Array.isArray(list) || list.length === 0) continue;
      const info = await session.schema.info(type);
      const tracker = new RunTracker(job.run_id, info.name);
      await tracker.start(ctx, 'by_ids');
      const records = await tracker.run(() => readRecords(ctx, info.name, [...new Set(list.map(String))]));
      const found = new Set(records.map((r) => r.id));
      // Ids asked for but not returned are archived or merged away: the next delete sweep settles them.
      const missing = list.filter((id) => !found.has(String(id)));
      const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType: info.name, runId: job.run_id, sweepId: `ids:${job.id}` };
      const startSequence = job.run_id ? (await ctx.store.objectRuns.batchesPublished(job.run_id, info.name)) + 1 : 1;
      const sequence = await ctx.output.publishRecords(meta, records, startSequence);
      const progress = tracker.progress(ctx, { pages: 1, batchesPublished: sequence - 1 });
      await ctx.store.commit({ organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: `ids:${job.id}:${info.name}` }, { sequence, missing }, ctx.fence(), progress);
      await tracker.finish(ctx);
    }
  }

  /**
   * Several webhook jobs of one connection in one go: ids merged per object type, read in batch
   * reads of ≤ 100 ids (HUBSPOT-FACTS: `POST /crm/v3/objects/{type}/batch/read` takes at most 100
   * inputs) on the limiter's `ids` lane, which goes ahead of sweep pages. The caller finishes every
   * job of `read.jobIds` together (fenced) once the batches are acked.
   */
  async fetchMergedByIds(ctx: FetchContext, read: MergedIdRead): Promise<void> {
    const { session } = ctx;
    // Jobs may name a custom object by type id or by fully qualified name: merge under the canonical one.
    const byType = new Map<string, Set<string>>();
    for (const [type, list] of Object.entries(read.ids)) {
      const name = (await session.schema.info(type)).name;
      const set = byType.get(name) ?? new Set<string>();
      for (const id of list) set.add(id);
      byType.set(name, set);
    }
    const sweepId = `ids:${read.jobIds[0]}`;
    await Promise.all(
      [...byType].map(async ([objectType, set]) => {
        const ids = [...set];
        const records = await readRecords(ctx, objectType, ids, { lane: ID_READ_LANE });
        // Ids not returned are archived or merged away: the next delete sweep settles them. No cursor
        // to checkpoint either — the jobs' fenced finish is the record that this read happened.
        const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType, runId: null, sweepId };
        await ctx.output.publishRecords(meta, records, 1);
      }),
    );
  }

  private async associationSweep(ctx: FetchContext, job: SyncJobRow): Promise<void> {
    const types = job.object_types.length ? job.object_types : (await this.deps.portals.streams(ctx.session.portalId)).filter((s) => s.connectionId === ctx.session.connectionId).map((s) => s.objectType);
    for (const [fromType, toTypes] of associationPairs(types)) await this.deps.associations.run(ctx, fromType, toTypes, job.run_id);
  }

  private async deleteSweep(ctx: FetchContext, job: SyncJobRow): Promise<void> {
    const types = job.object_types.length ? job.object_types : (await this.deps.portals.streams(ctx.session.portalId)).filter((s) => s.connectionId === ctx.session.connectionId).map((s) => s.objectType);
    for (const type of types) await this.deps.deletes.run(ctx, type);
  }
}

function describeForbidden(forbidden: Record<string, string>): string {
  return Object.entries(forbidden).map(([type, scope]) => `missing scope ${scope} for ${type}`).join('; ');
}

export type { SearchFilter };
