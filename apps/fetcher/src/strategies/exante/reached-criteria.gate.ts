import { buildSearchRequest, OBJECT_ID_PROPERTY, SearchFilter, SearchLimits, SearchQueryError } from '@hubsync/hubspot';
import { FetchContext } from '../../fetch/fetch-context';

/**
 * Ids per gate search. HUBSPOT-FACTS names no cap on an `IN` list; 100 matches batch read (the
 * call that follows) and keeps the body well under 3,000 characters for ordinary ids. A chunk whose
 * body is still too long (long ids, long criteria values) is split until it fits.
 */
export const GATE_MAX_IDS = 100;

/** Filters the gate adds itself to every group (`hs_object_id IN [ids]`); counted before any call. */
export const GATE_SYSTEM_FILTERS = 1;

/**
 * Which of the records an Exante sync reached through associations satisfy their type's OpsHub
 * criteria (seed 004: criteria are configured per synchronized entity; a company or contact that
 * fails them does not belong to the sync).
 *
 * Why HubSpot's search and not an evaluation of the batch-read records here: the criteria mean what
 * HubSpot's search makes of them — case-insensitive string equality except enumerations, `IN` on
 * lower-cased strings, `CONTAINS_TOKEN` tokenisation and wildcards, numbers and dates compared as
 * numbers, a NEQ that skips empty values (HUBSPOT-FACTS "Search") — and the deals were chosen by
 * search with the same criteria. Re-implementing those rules locally would drift from HubSpot on
 * exactly the edge cases; asking search `hs_object_id IN [≤ 100 ids] AND <criteria>` cannot. Cost:
 * one search request per ≤ 100 reached ids, on the portal's search budget (the `backfill` lane of
 * the per-portal scheduler), and search's eventual consistency — a record changed seconds ago is
 * judged on its indexed values, as the deal phase's search judges deals.
 */
export async function recordsMatchingCriteria(ctx: FetchContext, objectType: string, ids: string[], userGroups: SearchFilter[][] | undefined): Promise<string[]> {
  const groups = (userGroups ?? []).filter((g) => g.length > 0);
  if (ids.length === 0 || groups.length === 0) return ids;
  const limits = ctx.settings.searchLimits;
  const chunkSize = Math.min(GATE_MAX_IDS, limits.maxPageSize);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += chunkSize) chunks.push(ids.slice(i, i + chunkSize));
  const matched = new Set<string>();
  // Chunks in parallel: the portal's limiter paces them within the search budget.
  await Promise.all(
    chunks.map(async (chunk) => {
      for (const id of await matchingInChunk(ctx, objectType, chunk, groups, limits)) matched.add(id);
    }),
  );
  return ids.filter((id) => matched.has(id));
}

async function matchingInChunk(ctx: FetchContext, objectType: string, ids: string[], groups: SearchFilter[][], limits: SearchLimits): Promise<string[]> {
  let body;
  try {
    body = buildSearchRequest(
      {
        systemFilters: [{ propertyName: OBJECT_ID_PROPERTY, operator: 'IN', values: ids }],
        userGroups: groups,
        sort: { propertyName: OBJECT_ID_PROPERTY, direction: 'ASCENDING' },
        properties: [OBJECT_ID_PROPERTY],
        // Every id of the chunk fits one page (chunk ≤ the page size), so there is no paging.
        limit: ids.length,
      },
      limits,
    );
  } catch (error) {
    if (error instanceof SearchQueryError && error.field === 'body' && ids.length > 1) {
      const half = Math.ceil(ids.length / 2);
      return [...(await matchingInChunk(ctx, objectType, ids.slice(0, half), groups, limits)), ...(await matchingInChunk(ctx, objectType, ids.slice(half), groups, limits))];
    }
    throw error;
  }
  const page = await ctx.session.client.search(objectType, body, { lane: 'backfill', signal: ctx.signal });
  const asked = new Set(ids);
  // Only ids that were asked for: a result outside the IN list would be a malformed answer, not a match.
  return page.results.map((r) => r.id).filter((id) => asked.has(id));
}
