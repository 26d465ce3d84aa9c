import { createHash } from 'node:crypto';
import { HubspotAssociationV1 } from '@hubsync/contracts';
import { ASSOCIATIONS_BATCH_MAX_INPUTS } from '@hubsync/hubspot';
import { FetchContext } from '../../fetch/fetch-context';

/**
 * Every association of `fromIds` to `toType`: v4 batch read (≤ 1,000 inputs), following each
 * object's own paging until its set is complete. From-ids HubSpot reports as errors count as empty.
 */
export async function readAssociationSets(ctx: FetchContext, fromType: string, toType: string, fromIds: string[]): Promise<Map<string, HubspotAssociationV1[]>> {
  const sets = new Map<string, HubspotAssociationV1[]>(fromIds.map((id) => [id, []]));
  for (let i = 0; i < fromIds.length; i += ASSOCIATIONS_BATCH_MAX_INPUTS) {
    let pending: { id: string; after?: string }[] = fromIds.slice(i, i + ASSOCIATIONS_BATCH_MAX_INPUTS).map((id) => ({ id }));
    while (pending.length) {
      const result = await ctx.session.client.associationsBatchRead(fromType, toType, pending, { signal: ctx.signal });
      const next: { id: string; after?: string }[] = [];
      for (const r of result.results) {
        const set = sets.get(r.fromId);
        if (!set) continue;
        set.push(...r.associations);
        if (r.nextAfter) next.push({ id: r.fromId, after: r.nextAfter });
      }
      pending = next;
    }
  }
  return sets;
}

/** Order-independent fingerprint of one from-object's association set (labels and type ids included). */
export function fingerprintOf(associations: HubspotAssociationV1[]): string {
  const lines = associations.map((a) => `${a.toId}\u0000${a.typeId}\u0000${a.category}\u0000${a.label ?? ''}`).sort();
  return createHash('sha1').update(lines.join('\n')).digest('hex');
}

export const EMPTY_FINGERPRINT = fingerprintOf([]);
