import { randomUUID } from 'node:crypto';
import { HubspotRecordV1 } from '@hubsync/contracts';
import { BATCH_READ_MAX_INPUTS, parseTimestamp } from '@hubsync/hubspot';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { KnownIdsRepository } from './known-ids.repository';

interface ArchivedListingCursor {
  completed: boolean;
  after?: string;
  /** Archived records with `archivedAt` at or after this are handed on (the previous sweep's start, with a margin). */
  since: number;
  sweepStartedAt: number;
  sequence: number;
  lastCompletedAt?: number;
}

interface IdSweepCursor {
  completed: boolean;
  sweepId: string;
  phase: 'mark' | 'sweep';
  after?: string;
  /** Sweep phase: last unseen id handled. */
  afterId: string;
  sequence: number;
  lastCompletedAt?: number;
}

export const deleteKey = (objectType: string) => `delete:${objectType}`;

/** Margin on `since`: archive times are HubSpot's clock, the sweep start is ours. */
const CLOCK_MARGIN_MS = 60 * 60_000;

/**
 * Deletes (DESIGN §4, seed 001 "Detecting deletes"):
 * - standard objects: `GET /crm/v3/objects/{type}?archived=true` (only archived records; merged-away
 *   records are archived too), handing on those archived since the previous sweep;
 * - custom objects (no archived listing): an id sweep — list every live id, mark it in
 *   `sync.fetch_known_ids`, then treat known ids the sweep did not see as gone (after checking them
 *   by batch read), and hand them on as archived.
 */
export class DeleteSweepStrategy {
  constructor(private readonly knownIds: KnownIdsRepository) {}

  async run(ctx: FetchContext, objectType: string): Promise<{ archived: number }> {
    const info = await ctx.session.schema.info(objectType);
    return info.hasArchivedListing ? this.archivedListing(ctx, info.name) : this.idSweep(ctx, info.name);
  }

  async lastCompletedAt(ctx: FetchContext, objectType: string): Promise<number | null> {
    const c = await ctx.store.load<{ lastCompletedAt?: number }>(ctx.session.connectionId, deleteKey(objectType));
    return c?.lastCompletedAt ?? null;
  }

  private async archivedListing(ctx: FetchContext, objectType: string): Promise<{ archived: number }> {
    const { session } = ctx;
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: deleteKey(objectType) };
    const saved = await ctx.store.load<ArchivedListingCursor>(session.connectionId, key.streamKey);
    let cursor: ArchivedListingCursor =
      saved && !saved.completed
        ? saved
        : {
            completed: false,
            since: saved ? saved.sweepStartedAt - CLOCK_MARGIN_MS : 0,
            sweepStartedAt: Date.now(),
            sequence: saved?.sequence ?? 1,
            lastCompletedAt: saved?.lastCompletedAt,
          };
    const properties = [...(await session.schema.propertyNames(objectType))];
    const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType, runId: null, sweepId: `delete:${objectType}:${cursor.sweepStartedAt}` };
    let archived = 0;
    for (;;) {
      throwIfStopped(ctx);
      const page = await session.client.listPage(objectType, { after: cursor.after, limit: 100, properties, archived: true }, { signal: ctx.signal });
      const fresh = page.results.filter((r) => (parseTimestamp(r.archivedAt ?? null) ?? Number.MAX_SAFE_INTEGER) >= cursor.since).map(asArchived);
      const sequence = await ctx.output.publishRecords(meta, fresh, cursor.sequence);
      archived += fresh.length;
      const done = !page.nextAfter;
      cursor = done ? { ...cursor, completed: true, after: undefined, sequence, lastCompletedAt: Date.now() } : { ...cursor, after: page.nextAfter, sequence };
      await ctx.store.commit(key, cursor, ctx.fence());
      if (done) return { archived };
    }
  }

  private async idSweep(ctx: FetchContext, objectType: string): Promise<{ archived: number }> {
    const { session } = ctx;
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: deleteKey(objectType) };
    const saved = await ctx.store.load<IdSweepCursor>(session.connectionId, key.streamKey);
    let cursor: IdSweepCursor =
      saved && !saved.completed
        ? saved
        : { completed: false, sweepId: randomUUID(), phase: 'mark', afterId: '', sequence: saved?.sequence ?? 1, lastCompletedAt: saved?.lastCompletedAt };
    const meta = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, objectType, runId: null, sweepId: `idsweep:${cursor.sweepId}` };

    // Mark: every live id (list pages, id order, minimal properties).
    while (cursor.phase === 'mark') {
      throwIfStopped(ctx);
      const page = await session.client.listPage(objectType, { after: cursor.after, limit: 100, properties: ['hs_object_id'] }, { signal: ctx.signal });
      const ids = page.results.map((r) => r.id);
      const next: IdSweepCursor = page.nextAfter ? { ...cursor, after: page.nextAfter } : { ...cursor, after: undefined, phase: 'sweep', afterId: '' };
      await ctx.store.commit(key, next, ctx.fence(), undefined, (tx) => this.knownIds.mark(session.organizationUid, session.connectionId, objectType, ids, cursor.sweepId, tx));
      cursor = next;
    }

    // Sweep: known ids not seen are gone unless a read by id still finds them.
    let archived = 0;
    for (;;) {
      throwIfStopped(ctx);
      const unseen = await this.knownIds.unseen(session.connectionId, objectType, cursor.sweepId, cursor.afterId, BATCH_READ_MAX_INPUTS);
      if (unseen.length === 0) break;
      const properties = [...(await session.schema.propertyNames(objectType))];
      const live = await session.client.batchRead(objectType, unseen, properties, { signal: ctx.signal });
      const stillThere = new Set(live.records.map((r) => r.id));
      const gone = unseen.filter((id) => !stillThere.has(id));
      const archivedRead = gone.length ? await session.client.batchRead(objectType, gone, properties, { archived: true, signal: ctx.signal }).catch(() => ({ records: [] as HubspotRecordV1[], missingIds: gone })) : { records: [] as HubspotRecordV1[], missingIds: [] as string[] };
      const found = new Map(archivedRead.records.filter((r) => gone.includes(r.id)).map((r) => [r.id, asArchived(r)]));
      const detectedAt = new Date().toISOString();
      const tombstones = gone.map((id) => found.get(id) ?? tombstone(id, detectedAt));
      const sequence = await ctx.output.publishRecords(meta, tombstones, cursor.sequence);
      archived += tombstones.length;
      const next: IdSweepCursor = { ...cursor, afterId: unseen[unseen.length - 1], sequence };
      await ctx.store.commit(key, next, ctx.fence(), undefined, async (tx) => {
        await this.knownIds.forget(session.connectionId, objectType, gone, tx);
        await this.knownIds.mark(session.organizationUid, session.connectionId, objectType, [...stillThere], cursor.sweepId, tx);
      });
      cursor = next;
    }
    cursor = { ...cursor, completed: true, lastCompletedAt: Date.now() };
    await ctx.store.commit(key, cursor, ctx.fence());
    return { archived };
  }
}

/** Archived records keep HubSpot's values; `archived` is set even when the listing omits it. */
function asArchived(record: HubspotRecordV1): HubspotRecordV1 {
  return { ...record, archived: true, archivedAt: record.archivedAt ?? null };
}

/** A record gone without trace (custom objects: no archived read): id and the time we noticed. */
function tombstone(id: string, detectedAt: string): HubspotRecordV1 {
  return { id, properties: {}, createdAt: '', updatedAt: detectedAt, archived: true, archivedAt: detectedAt };
}
