import { randomUUID } from 'node:crypto';
import { HubspotAssociationV1 } from '@hubsync/contracts';
import { ASSOCIATIONS_BATCH_MAX_INPUTS } from '@hubsync/hubspot';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { EMPTY_FINGERPRINT, fingerprintOf, readAssociationSets } from './association-sets';
import { FingerprintsRepository, PairKey } from './fingerprints.repository';

interface AssociationSweepCursor {
  completed: boolean;
  sweepId: string;
  phase: 'walk' | 'sweep';
  /** List cursor over from-objects. */
  after?: string;
  /** Next message sequence per to-type. */
  sequences: Record<string, number>;
  startedAt: number;
  lastCompletedAt?: number;
}

export const associationKey = (fromType: string) => `assoc:${fromType}`;

/**
 * Association sweep of one from-type against several to-types (DESIGN §4; seed 001 "mark-and-sweep"):
 * walk every from-object (id-ordered list pages, 1,000 at a time), read its complete sets by v4
 * batch read, and hand on only sets whose fingerprint changed (an emptied set as an empty set).
 * At the end, fingerprints the sweep did not see (objects gone) are handed on as empty sets and
 * dropped, then a `sweepComplete` marker closes each pair. Resumable from its checkpoint.
 */
export class AssociationSweepStrategy {
  constructor(private readonly fingerprints: FingerprintsRepository) {}

  async lastCompletedAt(ctx: FetchContext, fromType: string): Promise<number | null> {
    return (await ctx.store.load<AssociationSweepCursor>(ctx.session.connectionId, associationKey(fromType)))?.lastCompletedAt ?? null;
  }

  async run(ctx: FetchContext, fromType: string, toTypes: string[], runId: string | null = null): Promise<{ changed: number }> {
    const { session } = ctx;
    const from = (await session.schema.info(fromType)).name;
    const targets = await Promise.all(toTypes.map(async (t) => (await session.schema.info(t)).name));
    const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: associationKey(from) };
    const saved = await ctx.store.load<AssociationSweepCursor>(session.connectionId, key.streamKey);
    let cursor: AssociationSweepCursor =
      saved && !saved.completed
        ? saved
        : { completed: false, sweepId: randomUUID(), phase: 'walk', sequences: saved?.sequences ?? {}, startedAt: Date.now(), lastCompletedAt: saved?.lastCompletedAt };
    const pairOf = (toType: string): PairKey => ({ connectionId: session.connectionId, fromType: from, toType });
    const origin = (toType: string) => ({ organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, fromType: from, toType, runId, sweepId: cursor.sweepId });
    let changed = 0;

    const listIds = (after: string | undefined) => {
      const page = session.client.listPage(from, { after, limit: 100, properties: ['hs_object_id'] }, { signal: ctx.signal });
      page.catch(() => undefined); // fetched ahead; a stop may abandon it
      return page;
    };
    let ahead = cursor.phase === 'walk' ? listIds(cursor.after) : null;
    while (cursor.phase === 'walk') {
      throwIfStopped(ctx);
      // Up to 1,000 from-ids per round: one batch read per to-type covers them. The next id page is
      // always in flight while the current one is handled.
      const ids: string[] = [];
      let after = cursor.after;
      let exhausted = false;
      while (ids.length < ASSOCIATIONS_BATCH_MAX_INPUTS) {
        const page = await (ahead ?? listIds(after));
        ids.push(...page.results.map((r) => r.id));
        after = page.nextAfter;
        ahead = after ? listIds(after) : null;
        if (!after) {
          exhausted = true;
          break;
        }
      }
      const sequences = { ...cursor.sequences };
      const saves: { pair: PairKey; entries: { fromId: string; fingerprint: string }[]; removed: string[] }[] = [];
      // Every to-type's sets at once (reads only; what is handed on stays in order below).
      const allSets = await Promise.all(targets.map((toType) => readAssociationSets(ctx, from, toType, ids)));
      for (const [index, toType] of targets.entries()) {
        const pair = pairOf(toType);
        const sets = allSets[index];
        const known = await this.fingerprints.lookup(pair, ids);
        const emit: { fromId: string; associations: HubspotAssociationV1[] }[] = [];
        const entries: { fromId: string; fingerprint: string }[] = [];
        const removed: string[] = [];
        for (const id of ids) {
          const set = sets.get(id) ?? [];
          const fingerprint = fingerprintOf(set);
          const previous = known.get(id);
          if (fingerprint === EMPTY_FINGERPRINT) {
            // Nothing stored for empty sets; an emptied one is handed on once, then forgotten.
            if (previous !== undefined) {
              emit.push({ fromId: id, associations: [] });
              removed.push(id);
            }
            continue;
          }
          if (previous !== fingerprint) emit.push({ fromId: id, associations: set });
          entries.push({ fromId: id, fingerprint }); // also marks unchanged ones as seen by this sweep
        }
        sequences[toType] = await ctx.output.publishAssociations(origin(toType), emit, sequences[toType] ?? 1);
        changed += emit.length;
        saves.push({ pair, entries, removed });
      }
      const next: AssociationSweepCursor = exhausted ? { ...cursor, after: undefined, phase: 'sweep', sequences } : { ...cursor, after, sequences };
      await ctx.store.commit(key, next, ctx.fence(), undefined, async (tx) => {
        for (const s of saves) {
          await this.fingerprints.save(s.pair, session.organizationUid, cursor.sweepId, s.entries, tx);
          await this.fingerprints.remove(s.pair, s.removed, tx);
        }
      });
      cursor = next;
    }

    // Sweep: from-objects that had associations and were not seen this time are gone.
    for (const toType of targets) {
      const pair = pairOf(toType);
      for (;;) {
        throwIfStopped(ctx);
        const stale = await this.fingerprints.unseen(pair, cursor.sweepId, ASSOCIATIONS_BATCH_MAX_INPUTS);
        if (stale.length === 0) break;
        const sequence = await ctx.output.publishAssociations(origin(toType), stale.map((fromId) => ({ fromId, associations: [] })), cursor.sequences[toType] ?? 1);
        changed += stale.length;
        const next = { ...cursor, sequences: { ...cursor.sequences, [toType]: sequence } };
        await ctx.store.commit(key, next, ctx.fence(), undefined, (tx) => this.fingerprints.remove(pair, stale, tx));
        cursor = next;
      }
    }
    const sequences = { ...cursor.sequences };
    for (const toType of targets) sequences[toType] = await ctx.output.publishAssociations(origin(toType), [], sequences[toType] ?? 1, true);
    cursor = { ...cursor, sequences, completed: true, lastCompletedAt: Date.now() };
    await ctx.store.commit(key, cursor, ctx.fence());
    return { changed };
  }
}
