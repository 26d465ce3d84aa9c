import { HubspotRecordV1 } from '@hubsync/contracts';
import { BATCH_READ_MAX_INPUTS, CallOptions } from '@hubsync/hubspot';
import { FetchContext } from '../../fetch/fetch-context';

/**
 * Full records by id: batch read (≤ 100 ids, properties in the body, so no URL limit), chunks in
 * parallel. Ids HubSpot no longer returns (deleted or merged since they were listed) are left out.
 */
export async function readRecords(ctx: FetchContext, objectType: string, ids: string[], options: CallOptions & { archived?: boolean } = {}): Promise<HubspotRecordV1[]> {
  if (ids.length === 0) return [];
  const properties = [...(await ctx.session.schema.propertyNames(objectType))];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_READ_MAX_INPUTS) chunks.push(ids.slice(i, i + BATCH_READ_MAX_INPUTS));
  const results = await Promise.all(chunks.map((chunk) => ctx.session.client.batchRead(objectType, chunk, properties, { ...options, signal: ctx.signal })));
  // Keep the order ids were asked in (the cursor order), which makes batches reproducible on resume.
  const byId = new Map(results.flatMap((r) => r.records).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is HubspotRecordV1 => !!r);
}

/** Ids of a list of records in order, without repeats. */
export function uniqueIds(ids: string[]): string[] {
  return [...new Set(ids)];
}
