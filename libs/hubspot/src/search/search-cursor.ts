import { SearchFilter, SearchSort } from './search-types';

/**
 * A stable, complete walk over a timestamp property with the Search API (DESIGN §4; Sequin's
 * write-up, seed 001):
 * - `range`: `P GTE from` (or `GT` after a tie) sorted by P ascending; every page is a fresh query
 *   from the page's highest value, so a query never pages anywhere near the 10,000-result cap and
 *   records deleted meanwhile cannot shift an offset past live ones. Records sharing the boundary
 *   value are read twice; repeats are harmless (the mapper is last-modified-wins).
 * - `tie`: when a full page is all one value `t`, GTE cannot move; continue with
 *   `P EQ t AND hs_object_id GT last` sorted by `hs_object_id`, then resume with `P GT t`.
 */
export type SearchCursor =
  | { mode: 'range'; from: number; inclusive: boolean }
  | { mode: 'tie'; at: number; afterId: string };

export interface CursorWalk {
  /** The timestamp property walked: create date (backfill) or last-modified (incremental). */
  property: string;
  /** Inclusive upper bound (lagging sweeps stop `LAG_WINDOW` behind now). */
  upTo?: number;
}

export const OBJECT_ID_PROPERTY = 'hs_object_id';

export function initialCursor(from = 0): SearchCursor {
  return { mode: 'range', from, inclusive: true };
}

/** The filters this cursor adds to every group (counted against HubSpot's filter limits). */
export function cursorFilters(cursor: SearchCursor, walk: CursorWalk): SearchFilter[] {
  if (cursor.mode === 'tie') {
    return [
      { propertyName: walk.property, operator: 'EQ', value: String(cursor.at) },
      { propertyName: OBJECT_ID_PROPERTY, operator: 'GT', value: cursor.afterId },
    ];
  }
  const filters: SearchFilter[] = [{ propertyName: walk.property, operator: cursor.inclusive ? 'GTE' : 'GT', value: String(cursor.from) }];
  if (walk.upTo !== undefined) filters.push({ propertyName: walk.property, operator: 'LTE', value: String(walk.upTo) });
  return filters;
}

/** Most filters a walk ever adds (for validating user criteria before any call). */
export const MAX_CURSOR_FILTERS = 2;

export function cursorSort(cursor: SearchCursor, walk: CursorWalk): SearchSort {
  return { propertyName: cursor.mode === 'tie' ? OBJECT_ID_PROPERTY : walk.property, direction: 'ASCENDING' };
}

export interface CursorPageEntry {
  id: string;
  /** The walked property's value as HubSpot returned it (ISO string, epoch-ms string or null). */
  value: string | null | undefined;
}

/**
 * The cursor after a page, or null when the walk is complete. A short page ends the current mode
 * (range → done; tie → resume `GT t`).
 */
export function advanceCursor(cursor: SearchCursor, page: CursorPageEntry[], pageSize: number): SearchCursor | null {
  if (cursor.mode === 'tie') {
    if (page.length < pageSize) return { mode: 'range', from: cursor.at, inclusive: false };
    return { mode: 'tie', at: cursor.at, afterId: maxId(page.map((e) => e.id), cursor.afterId) };
  }
  if (page.length < pageSize) return null;
  const values = page.map((e) => parseTimestamp(e.value)).filter((v): v is number => v !== null);
  if (values.length === 0) {
    // Nothing to move on (type glitches in every row): walk the current value by id instead.
    return { mode: 'tie', at: cursor.from, afterId: '0' };
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return { mode: 'tie', at: max, afterId: '0' };
  return { mode: 'range', from: max, inclusive: true };
}

/** HubSpot timestamps come as ISO-8601 strings or epoch-millisecond strings. */
export function parseTimestamp(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Largest numeric id (ids are decimal strings that may exceed 2^53). */
export function maxId(ids: string[], floor = '0'): string {
  let best = floor;
  for (const id of ids) if (compareIds(id, best) > 0) best = id;
  return best;
}

export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
