import { SyncJobRow } from '@hubsync/contracts';
import { SearchFilter } from '@hubsync/hubspot';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { readAssociationSets } from '../associations/association-sets';
import { BackfillStrategy } from '../backfill/backfill.strategy';
import { readRecords } from '../shared/record-reader';
import { RunTracker } from '../shared/run-tracker';
import { recordsMatchingCriteria } from './reached-criteria.gate';
import { RunIdsRepository } from './run-ids.repository';

interface ExanteCursor {
  phase: 'deals' | 'companies' | 'contacts' | 'done';
  /** Last from-id expanded in the current phase. */
  afterId: string;
  sequences: Record<string, number>;
  associationSequences: Record<string, number>;
}

const EXPAND_CHUNK = 1000;

/**
 * Exante's sync (seed 000): deals first — only those whose `dealstage` is in `deal_stages` when
 * given (Search `IN`) —, then the companies associated with those deals, then the contacts of those
 * companies. Only deal-reachable companies and contacts belong to the run, in `full` and
 * `catalog_only` mode alike (the mapper decides what to write). Criteria are per object type (seed
 * 004): the deals' go into the deal search, companies' and contacts' gate the reached records — one
 * failing its type's criteria does not belong to the run, and neither do the records reached only
 * through it. The associations walked are handed on too, so the mapper links Documents, Parties and
 * Contacts as HubSpot associates them.
 */
export class ExanteSyncStrategy {
  constructor(
    private readonly backfill: BackfillStrategy,
    private readonly runIds: RunIdsRepository,
  ) {}

  async run(
    ctx: FetchContext,
    job: SyncJobRow,
    runId: string,
    dealFilters: { system: SearchFilter[]; userGroups: SearchFilter[][] },
    /** Criteria groups of the reached types (`companies`, `contacts`); none → every reached record belongs. */
    reachedCriteria: Record<string, SearchFilter[][]> = {},
  ): Promise<void> {
    const { session } = ctx;
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: `exante:${job.id}` };
    let cursor: ExanteCursor = (await ctx.store.load<ExanteCursor>(session.connectionId, key.streamKey)) ?? {
      phase: 'deals',
      afterId: '',
      sequences: {},
      associationSequences: {},
    };
    const trackers = { deals: new RunTracker(runId, 'deals'), companies: new RunTracker(runId, 'companies'), contacts: new RunTracker(runId, 'contacts') };

    if (cursor.phase === 'deals') {
      const tracker = trackers.deals;
      await tracker.start(ctx, 'deals');
      await tracker.run(() =>
        this.backfill.run(
          ctx,
          {
            objectType: 'deals',
            runId,
            streamKey: `exante:${job.id}:deals`,
            sweepId: job.id,
            method: 'search',
            systemFilters: dealFilters.system,
            userGroups: dealFilters.userGroups,
            onPage: (records, tx) => this.runIds.add(runId, session.organizationUid, 'deals', records.map((r) => r.id), tx),
          },
          tracker,
        ),
      );
      await tracker.finish(ctx);
      cursor = { ...cursor, phase: 'companies', afterId: '' };
      await ctx.store.commit(key, cursor, ctx.fence());
    }
    if (cursor.phase === 'companies') {
      cursor = await this.expand(ctx, key, cursor, runId, 'deals', 'companies', trackers.companies, reachedCriteria['companies']);
      cursor = { ...cursor, phase: 'contacts', afterId: '' };
      await ctx.store.commit(key, cursor, ctx.fence());
    }
    if (cursor.phase === 'contacts') {
      cursor = await this.expand(ctx, key, cursor, runId, 'companies', 'contacts', trackers.contacts, reachedCriteria['contacts']);
      cursor = { ...cursor, phase: 'done', afterId: '' };
      await ctx.store.commit(key, cursor, ctx.fence());
    }
  }

  /**
   * Follows `fromType → toType` associations of every reached from-record; hands on the newly reached
   * records that meet `toType`'s criteria.
   */
  private async expand(
    ctx: FetchContext,
    key: { organizationUid: string; connectionId: string; portalId: string; streamKey: string },
    initial: ExanteCursor,
    runId: string,
    fromType: string,
    toType: string,
    tracker: RunTracker,
    criteria: SearchFilter[][] | undefined,
  ): Promise<ExanteCursor> {
    const { session } = ctx;
    let cursor = initial;
    await tracker.start(ctx, `via ${fromType}`);
    if (cursor.sequences[toType] === undefined) cursor = { ...cursor, sequences: { ...cursor.sequences, [toType]: (await ctx.store.objectRuns.batchesPublished(runId, toType)) + 1 } };
    const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType: toType, runId, sweepId: `exante:${runId}` };
    const pair = `${fromType}:${toType}`;
    await tracker.run(async () => {
      for (;;) {
        throwIfStopped(ctx);
        const fromIds = await this.runIds.page(runId, fromType, cursor.afterId, EXPAND_CHUNK);
        if (fromIds.length === 0) break;
        const sets = await readAssociationSets(ctx, fromType, toType, fromIds);
        const reached = [...new Set([...sets.values()].flatMap((set) => set.map((a) => a.toId)))];
        const fresh = await this.runIds.unknown(runId, toType, reached);
        const admitted = await recordsMatchingCriteria(ctx, toType, fresh, criteria);
        // The from-records' association sets go on whole, also to records outside the criteria: an
        // association batch carries every association of its from-ids (the mapper replaces those
        // sets in the mirror, contracts hubspot.associations.v1); a record not handed on is simply
        // not in the run.
        const associationSequence = await ctx.output.publishAssociations(
          { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, fromType, toType, runId, sweepId: `exante:${runId}` },
          fromIds.map((id) => ({ fromId: id, associations: sets.get(id) ?? [] })),
          cursor.associationSequences[pair] ?? 1,
        );
        const records = await readRecords(ctx, toType, admitted);
        const sequence = await ctx.output.publishRecords(meta, records, cursor.sequences[toType]);
        const next: ExanteCursor = {
          ...cursor,
          afterId: fromIds[fromIds.length - 1],
          sequences: { ...cursor.sequences, [toType]: sequence },
          associationSequences: { ...cursor.associationSequences, [pair]: associationSequence },
        };
        const progress = tracker.progress(ctx, { pages: 1, batchesPublished: sequence - 1 });
        await ctx.store.commit(key, next, ctx.fence(), progress, (tx) => this.runIds.add(runId, session.organizationUid, toType, records.map((r) => r.id), tx));
        cursor = next;
      }
    });
    await tracker.finish(ctx);
    return cursor;
  }
}
