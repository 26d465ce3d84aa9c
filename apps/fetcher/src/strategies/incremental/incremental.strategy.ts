import { advanceCursor, buildSearchRequest, cursorFilters, CursorWalk, cursorSort, OBJECT_ID_PROPERTY, parseTimestamp, SearchCursor } from '@hubsync/hubspot';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { KnownIdsRepository } from '../deletes/known-ids.repository';
import { readRecords } from '../shared/record-reader';

/** Edge sweep state: where the next sweep starts, and the highest last-modified value seen. */
export interface EdgeCursor {
  search: SearchCursor;
  highWater: number;
  sequence: number;
}

/** Lagging sweep state: everything up to `from` has been swept at least `LAG_WINDOW` after it happened. */
export interface LagCursor {
  search: SearchCursor;
  /** Upper bound of the sweep in progress (null between sweeps). */
  upTo: number | null;
  sequence: number;
}

export const edgeKey = (objectType: string) => `edge:${objectType}`;
export const lagKey = (objectType: string) => `lag:${objectType}`;

export interface SweepOutcome {
  records: number;
  pages: number;
}

/**
 * Incremental sync on the last-modified property (DESIGN §4), two sweeps per object type because
 * the Search API is eventually consistent (seed 001):
 * - edge: `LM GTE highWater` now, as often as the search budget allows (target EDGE_INTERVAL);
 * - lag: the window `[from, now − LAG_WINDOW]` again, catching what the index surfaced late.
 * Same tie-break as backfill. Repeats are harmless (the mapper is last-modified-wins).
 */
export class IncrementalStrategy {
  constructor(private readonly knownIds: KnownIdsRepository) {}

  /** Sets both cursors to start at `from` (a backfill starting at T0 sets T0 − LAG_WINDOW). */
  async initialise(ctx: FetchContext, type: string, from: number, overwrite: boolean): Promise<void> {
    const { session } = ctx;
    const objectType = (await session.schema.info(type)).name;
    const key = (streamKey: string) => ({ organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey });
    const existingEdge = await ctx.store.load<EdgeCursor>(session.connectionId, edgeKey(objectType));
    if (!existingEdge || overwrite) {
      const edge: EdgeCursor = { search: { mode: 'range', from, inclusive: true }, highWater: from, sequence: existingEdge?.sequence ?? 1 };
      await ctx.store.commit(key(edgeKey(objectType)), edge, ctx.fence());
    }
    const existingLag = await ctx.store.load<LagCursor>(session.connectionId, lagKey(objectType));
    if (!existingLag || overwrite) {
      const lag: LagCursor = { search: { mode: 'range', from, inclusive: true }, upTo: null, sequence: existingLag?.sequence ?? 1 };
      await ctx.store.commit(key(lagKey(objectType)), lag, ctx.fence());
    }
  }

  async edgeSweep(ctx: FetchContext, objectType: string): Promise<SweepOutcome> {
    const { session } = ctx;
    const info = await session.schema.info(objectType);
    const streamKey = edgeKey(info.name);
    const cursor = await ctx.store.load<EdgeCursor>(session.connectionId, streamKey);
    if (!cursor) return { records: 0, pages: 0 };
    const walk: CursorWalk = { property: info.lastModifiedProperty };
    return this.walk(ctx, info.name, streamKey, walk, 'edge', cursor, (state, advanced, pageMax) => {
      const highWater = Math.max(state.highWater, pageMax);
      if (advanced) return { ...state, search: advanced, highWater };
      // Finished: the next sweep starts at the last page's highest value (GTE: only its rows repeat).
      // After a tie walk the cursor is already `GT t`; restarting at `GTE t` would re-read the whole group.
      const current = state.search;
      if (current.mode === 'range' && pageMax > current.from) return { ...state, search: { mode: 'range', from: pageMax, inclusive: true }, highWater };
      return { ...state, highWater };
    });
  }

  async lagSweep(ctx: FetchContext, objectType: string): Promise<SweepOutcome> {
    const { session } = ctx;
    const info = await session.schema.info(objectType);
    const streamKey = lagKey(info.name);
    let cursor = await ctx.store.load<LagCursor>(session.connectionId, streamKey);
    if (!cursor) return { records: 0, pages: 0 };
    if (cursor.upTo === null) {
      const upTo = Date.now() - ctx.settings.lagWindowMs;
      const from = cursor.search.mode === 'range' ? cursor.search.from : cursor.search.at;
      if (upTo <= from) return { records: 0, pages: 0 };
      cursor = { ...cursor, upTo };
    }
    const upTo = cursor.upTo as number;
    const walk: CursorWalk = { property: info.lastModifiedProperty, upTo };
    return this.walk(ctx, info.name, streamKey, walk, 'lag', cursor, (state, advanced) =>
      // Done: everything up to `upTo` is settled; the next window starts there.
      advanced ? { ...state, search: advanced } : { ...state, search: { mode: 'range', from: upTo, inclusive: true }, upTo: null },
    );
  }

  private async walk<C extends { search: SearchCursor; sequence: number }>(
    ctx: FetchContext,
    objectType: string,
    streamKey: string,
    walk: CursorWalk,
    lane: 'edge' | 'lag',
    initial: C,
    next: (state: C, advanced: SearchCursor | null, pageMax: number) => C,
  ): Promise<SweepOutcome> {
    const { session } = ctx;
    const info = await session.schema.info(objectType);
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey };
    const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType, runId: null, sweepId: streamKey };
    const pageSize = ctx.settings.searchPageSize;
    let state = initial;
    let records = 0;
    let pages = 0;
    const searchPage = (cursor: SearchCursor) => {
      const body = buildSearchRequest(
        { systemFilters: cursorFilters(cursor, walk), sort: cursorSort(cursor, walk), properties: [walk.property, OBJECT_ID_PROPERTY], limit: pageSize },
        ctx.settings.searchLimits,
      );
      const page = session.client.search(objectType, body, { lane, signal: ctx.signal });
      page.catch(() => undefined); // fetched ahead; a stop may abandon it
      return page;
    };
    let ahead = searchPage(state.search);
    for (;;) {
      throwIfStopped(ctx);
      const page = await ahead;
      pages++;
      const entries = page.results.map((r) => ({ id: r.id, value: r.properties[walk.property] }));
      const advanced = advanceCursor(state.search, entries, pageSize);
      if (advanced) ahead = searchPage(advanced); // next page in flight while this one is read and published
      const pageMax = Math.max(-Infinity, ...entries.map((e) => parseTimestamp(e.value) ?? -Infinity));
      const fetched = await readRecords(ctx, objectType, entries.map((e) => e.id), { lane });
      const sequence = await ctx.output.publishRecords(meta, fetched, state.sequence);
      records += fetched.length;
      state = { ...next(state, advanced, Number.isFinite(pageMax) ? pageMax : -Infinity), sequence };
      const ids = fetched.map((r) => r.id);
      await ctx.store.commit(key, state, ctx.fence(), undefined, info.hasArchivedListing ? undefined : (tx) => this.knownIds.remember(session.organizationUid, session.connectionId, objectType, ids, tx));
      if (!advanced) return { records, pages };
    }
  }
}
