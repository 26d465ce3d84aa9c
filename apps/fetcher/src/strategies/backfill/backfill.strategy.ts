import { HubspotRecordV1 } from '@hubsync/contracts';
import {
  advanceCursor,
  buildSearchRequest,
  cursorFilters,
  CursorWalk,
  cursorSort,
  initialCursor,
  OBJECT_ID_PROPERTY,
  SearchCursor,
  ListPage,
  SearchFilter,
  SearchPage,
} from '@hubsync/hubspot';
import { Sql } from '../../checkpoints/sql';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { readRecords } from '../shared/record-reader';
import { RunTracker } from '../shared/run-tracker';

export interface BackfillRequest {
  objectType: string;
  runId: string | null;
  /** Checkpoint key, unique per job and object type. */
  streamKey: string;
  sweepId: string;
  /** `search`: create-date walk with the tie-break; `list`: id-ordered list pages. */
  method: 'search' | 'list';
  /** Lower bound on the create date (Stanna's lookback), epoch ms. */
  createdAfterMs?: number;
  /** Filters the sync adds itself (e.g. `dealstage IN`), ANDed into every group. */
  systemFilters?: SearchFilter[];
  /** User criteria groups (ORed). */
  userGroups?: SearchFilter[][];
  /** Runs inside the checkpoint transaction of every page (e.g. remembering reached ids). */
  onPage?: (records: HubspotRecordV1[], tx: Sql) => Promise<void>;
}

interface BackfillCursor {
  method: 'search' | 'list';
  search?: SearchCursor;
  listAfter?: string;
  sequence: number;
  done: boolean;
  estimate?: number;
  records: number;
}

/**
 * A complete, stable walk of one object type (DESIGN §4), resumable from its checkpoint:
 * - search: ascending on the create date with `GTE`, every page a fresh query from the page's
 *   highest value, the `EQ t AND hs_object_id GT last` tie-break on single-value pages; search
 *   returns ids and the cursor property only, full records come from batch read;
 * - list: id-ordered `GET /crm/v3/objects/{type}` pages (`after` cursor, strongly consistent), the
 *   property list split to keep URLs under 8 KB.
 * Each page is published, then checkpointed (after the publish ack).
 */
export class BackfillStrategy {
  async run(ctx: FetchContext, request: BackfillRequest, tracker: RunTracker): Promise<{ records: number; batches: number }> {
    const { session } = ctx;
    const info = await session.schema.info(request.objectType);
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: request.streamKey };
    const startSequence = request.runId ? (await ctx.store.objectRuns.batchesPublished(request.runId, request.objectType)) + 1 : 1;
    let cursor: BackfillCursor = (await ctx.store.load<BackfillCursor>(session.connectionId, request.streamKey)) ?? {
      method: request.method,
      search: request.method === 'search' ? initialCursor(request.createdAfterMs ?? 0) : undefined,
      sequence: startSequence,
      done: false,
      records: 0,
    };
    const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType: info.name, runId: request.runId, sweepId: request.sweepId };
    const walk: CursorWalk = { property: info.createDateProperty };
    const pageSize = ctx.settings.searchPageSize;

    if (cursor.estimate === undefined && !cursor.done) {
      cursor.estimate = await this.estimate(ctx, info.name, walk, request);
    }

    // One page ahead: the next request is in flight while this page is published and checkpointed
    // (its cursor is known as soon as the page arrives), so latency does not idle the budget.
    const properties = cursor.method === 'list' ? [...(await session.schema.propertyNames(info.name))] : [];
    const searchPage = (current: SearchCursor) =>
      session.client.search(
        info.name,
        buildSearchRequest(
          {
            systemFilters: [...cursorFilters(current, walk), ...(request.systemFilters ?? [])],
            userGroups: request.userGroups,
            sort: cursorSort(current, walk),
            properties: [walk.property, OBJECT_ID_PROPERTY],
            limit: pageSize,
          },
          ctx.settings.searchLimits,
        ),
        { lane: 'backfill', signal: ctx.signal },
      );
    const listPage = (after: string | undefined) => session.client.listPage(info.name, { after, limit: 100, properties }, { signal: ctx.signal });
    let ahead: Promise<SearchPage | ListPage> | null = null;
    const prefetch = <T extends SearchPage | ListPage>(p: Promise<T>): Promise<T> => {
      p.catch(() => undefined); // a page fetched ahead and then abandoned must not be an unhandled rejection
      return p;
    };

    while (!cursor.done) {
      throwIfStopped(ctx);
      let records: HubspotRecordV1[];
      let next: BackfillCursor;
      if (cursor.method === 'search') {
        const current = cursor.search ?? initialCursor(request.createdAfterMs ?? 0);
        const page = (await (ahead ?? searchPage(current))) as SearchPage;
        const advanced = advanceCursor(current, page.results.map((r) => ({ id: r.id, value: r.properties[walk.property] })), pageSize);
        ahead = advanced ? prefetch(searchPage(advanced)) : null;
        records = await readRecords(ctx, info.name, page.results.map((r) => r.id));
        next = { ...cursor, search: advanced ?? current, done: advanced === null };
      } else {
        const page = (await (ahead ?? listPage(cursor.listAfter))) as ListPage;
        ahead = page.nextAfter ? prefetch(listPage(page.nextAfter)) : null;
        records = page.results;
        next = { ...cursor, listAfter: page.nextAfter, done: !page.nextAfter };
      }
      const sequence = await ctx.output.publishRecords(meta, records, cursor.sequence);
      next = { ...next, sequence, records: cursor.records + records.length };
      const progress = tracker.progress(ctx, { pages: 1, estimate: cursor.estimate, batchesPublished: sequence - 1, phase: 'backfill' });
      const onPage = request.onPage;
      await ctx.store.commit(key, next, ctx.fence(), progress, onPage ? (tx) => onPage(records, tx) : undefined);
      cursor = next;
    }
    return { records: cursor.records, batches: cursor.sequence - startSequence };
  }

  /** Search `total` of the whole walk (one cheap query), for progress. */
  private async estimate(ctx: FetchContext, objectType: string, walk: CursorWalk, request: BackfillRequest): Promise<number | undefined> {
    try {
      const body = buildSearchRequest(
        {
          systemFilters: [...cursorFilters(initialCursor(request.createdAfterMs ?? 0), walk), ...(request.systemFilters ?? [])],
          userGroups: request.userGroups,
          sort: cursorSort(initialCursor(), walk),
          properties: [OBJECT_ID_PROPERTY],
          limit: 1,
        },
        ctx.settings.searchLimits,
      );
      return (await ctx.session.client.search(objectType, body, { lane: 'backfill', signal: ctx.signal })).total;
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      return undefined;
    }
  }
}
