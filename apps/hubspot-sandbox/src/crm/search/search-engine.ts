import { validationError } from '../../http/hubspot-error';
import { ObjectTypeInfo } from '../portal';
import { ObjectTable, SearchSnapshot } from '../store/object-table';
import { TimeIndex } from '../store/time-index';
import { FilterInput, ValueKind, compileNumberTest, compileValueTest, kindOf, numericRange, parseNumber, parseTime, queryMatcher } from './filter-semantics';
import { SearchRequest } from './search-request';

type SnapshotState = NonNullable<SearchSnapshot['state']>;

interface CompiledFilter {
  /** Test against the live row (archived and lagging rows are excluded before). */
  live(row: number): boolean;
  /** Test against a lagging row's snapshot. */
  snapshot(row: number, state: SnapshotState): boolean;
  /** When the filter is on an ordered virtual property: the index and range it selects. */
  drive?: { index: 'created' | 'updated' | 'id'; range: { lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean } };
}

type Virtual = 'id' | 'created' | 'updated';

export interface SearchResult {
  total: number;
  rows: number[];
  /** Snapshot to render instead of the live row (rows found through a lagging snapshot). */
  snapshots: Map<number, SnapshotState>;
}

/**
 * Executes a validated search over one object type. Archived rows never match (HubSpot search
 * guide: archived records are not searchable). Rows written less than the configured lag ago are
 * seen as they were before the write — or not at all if new — which is the eventual consistency
 * of HubSpot's search index (HUBSPOT-FACTS.md, Search).
 *
 * Fast path: one filter group sorted (or defaulted) by an indexed timestamp/id walks the index in
 * order and stops collecting after the page, so a page over 1 M rows costs one pass of counting.
 */
export function executeSearch(info: ObjectTypeInfo, req: SearchRequest, now: number, maxResults: number): SearchResult {
  const table = info.table;
  table.settlePending(now);
  const groups = req.filterGroups.map((g) => g.map((f) => compileFilter(info, f)));
  const query = req.query ? compileQuery(info, req.query) : undefined;
  const sort = resolveSort(info, req);
  const windowEnd = Math.min(req.offset + req.limit, maxResults);
  const hasPending = table.pending.size > 0;

  const liveMatch = (row: number, group: CompiledFilter[]) => {
    for (const f of group) if (!f.live(row)) return false;
    return !query || query.live(row);
  };

  // Ordered fast path: one group, sorted by an indexed id/timestamp whose range is not much wider
  // than the narrowest indexed filter. Range filters on the sort index are implied by the bounds;
  // without other filters the total is `end - start` and the page is a slice (O(log n)).
  if (groups.length <= 1 && sort.virtual && !hasPending) {
    const group = groups[0] ?? [];
    const narrowest = narrowestDrive(table, group);
    const index = indexOf(table, sort.virtual);
    const [start, end] = index.bounds(intersectRanges(group.filter((f) => f.drive?.index === sort.virtual).flatMap((f) => (f.drive ? [f.drive.range] : []))));
    if (!narrowest || end - start <= 4 * narrowest.size) {
      const others = group.filter((f) => f.drive?.index !== sort.virtual);
      const rows: number[] = [];
      if (others.length === 0 && !query) {
        for (let k = req.offset; k < windowEnd && k < end - start; k++) rows.push(index.rowAt(sort.descending ? end - 1 - k : start + k));
        return { total: end - start, rows, snapshots: new Map() };
      }
      let total = 0;
      for (let k = 0; k < end - start; k++) {
        const row = index.rowAt(sort.descending ? end - 1 - k : start + k);
        if (!liveMatch(row, others)) continue;
        if (total >= req.offset && total < windowEnd) rows.push(row);
        total++;
      }
      return { total, rows, snapshots: new Map() };
    }
  }

  // General path: collect every match (from the narrowest index range, or a full scan), then
  // select the page by the sort key.
  const matched: number[] = [];
  const seen = groups.length > 1 ? new Uint8Array(table.size) : undefined;
  const consider = (row: number, group: CompiledFilter[]) => {
    if (table.archivedAt[row] !== 0 || table.pendingFlags[row] === 1) return;
    if (seen && seen[row]) return;
    if (!liveMatch(row, group)) return;
    if (seen) seen[row] = 1;
    matched.push(row);
  };
  for (const group of groups.length > 0 ? groups : [[]]) {
    const narrowest = narrowestDrive(table, group);
    if (narrowest) {
      const index = indexOf(table, narrowest.index);
      for (let p = narrowest.start; p < narrowest.end; p++) consider(index.rowAt(p), group);
    } else {
      for (let row = 0; row < table.size; row++) consider(row, group);
    }
  }
  const snapshots = new Map<number, SnapshotState>();
  for (const [row, snap] of table.pending) {
    if (!snap.state) continue;
    const state = snap.state;
    const ok = (groups.length > 0 ? groups : [[]]).some((group) => group.every((f) => f.snapshot(row, state))) && (!query || query.snapshot(row, state));
    if (ok) {
      snapshots.set(row, state);
      matched.push(row);
    }
  }
  const total = matched.length;
  const key = sortKey(info, sort, snapshots);
  const page = selectPage(matched, key, sort.descending, req.offset, windowEnd);
  return { total, rows: page, snapshots };
}

/** The indexed filter range of a group that selects the fewest rows (positions valid until the next write). */
function narrowestDrive(table: ObjectTable, group: CompiledFilter[]): { index: Virtual; start: number; end: number; size: number } | undefined {
  let best: { index: Virtual; start: number; end: number; size: number } | undefined;
  for (const v of ['id', 'created', 'updated'] as Virtual[]) {
    const ranges = group.flatMap((f) => (f.drive?.index === v ? [f.drive.range] : []));
    if (ranges.length === 0) continue;
    const [start, end] = indexOf(table, v).bounds(intersectRanges(ranges));
    if (!best || end - start < best.size) best = { index: v, start, end, size: end - start };
  }
  return best;
}

function indexOf(table: ObjectTable, v: Virtual): TimeIndex {
  return v === 'created' ? table.createdIndex : v === 'updated' ? table.updatedIndex : table.idIndex;
}

function intersectRanges(ranges: Array<{ lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean }>) {
  const out: { lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean } = {};
  for (const r of ranges) {
    if (r.lo !== undefined && (out.lo === undefined || r.lo > out.lo || (r.lo === out.lo && r.loInclusive === false))) {
      out.lo = r.lo;
      out.loInclusive = r.loInclusive;
    }
    if (r.hi !== undefined && (out.hi === undefined || r.hi < out.hi || (r.hi === out.hi && r.hiInclusive === false))) {
      out.hi = r.hi;
      out.hiInclusive = r.hiInclusive;
    }
  }
  return out;
}

function virtualOf(info: ObjectTypeInfo, name: string): Virtual | undefined {
  if (name === 'hs_object_id') return 'id';
  if (info.table.createDateProperties.includes(name)) return 'created';
  if (info.table.modifiedDateProperties.includes(name)) return 'updated';
  return undefined;
}

function requireProperty(info: ObjectTypeInfo, name: string, where: string) {
  const def = info.properties.get(name);
  if (!def || def.archived) throw validationError(`${where}: property "${name}" does not exist on ${info.name}.`, { context: { propertyName: [name] } });
  return def;
}

function compileFilter(info: ObjectTypeInfo, f: FilterInput): CompiledFilter {
  const table = info.table;
  const v = virtualOf(info, f.propertyName);
  if (v) {
    const parse = v === 'id' ? parseNumber : parseTime;
    const test = compileNumberTest(f, parse);
    const arr = v === 'id' ? table.ids : v === 'created' ? table.createdAt : table.updatedAt;
    const range = numericRange(f, parse);
    return {
      live: (row) => test(arr[row]),
      snapshot: (row, s) => test(v === 'id' ? table.ids[row] : v === 'created' ? s.createdAt : s.updatedAt),
      drive: range ? { index: v, range } : undefined,
    };
  }
  const def = requireProperty(info, f.propertyName, 'filter');
  const kind: ValueKind = kindOf(def.type);
  const test = compileValueTest(f, kind);
  const col = table.column(f.propertyName);
  const snapshot = (_row: number, s: SnapshotState) => test(s.values.get(f.propertyName) ?? null);
  if (!col) {
    const constant = test(null);
    return { live: () => constant, snapshot };
  }
  // One evaluation per distinct value, then a typed-array lookup per row.
  const ok = new Uint8Array(col.dict.length);
  ok[0] = test(null) ? 1 : 0;
  for (let code = 1; code < col.dict.length; code++) ok[code] = test(col.dict[code]) ? 1 : 0;
  const codes = col.codes;
  return { live: (row) => ok[codes[row]] === 1, snapshot };
}

function compileQuery(info: ObjectTypeInfo, query: string) {
  const match = queryMatcher(query);
  const props = info.searchableProperties;
  return {
    live: (row: number) => match(props.map((p) => info.table.value(row, p))),
    snapshot: (_row: number, s: SnapshotState) => match(props.map((p) => s.values.get(p) ?? null)),
  };
}

interface ResolvedSort {
  propertyName: string;
  descending: boolean;
  virtual?: Virtual;
}

/** Default order: oldest created first (HUBSPOT-FACTS.md, Search), ties by id. */
function resolveSort(info: ObjectTypeInfo, req: SearchRequest): ResolvedSort {
  if (!req.sort) return { propertyName: info.createDateProperty, descending: false, virtual: 'created' };
  const v = virtualOf(info, req.sort.propertyName);
  if (!v) requireProperty(info, req.sort.propertyName, 'sort');
  return { propertyName: req.sort.propertyName, descending: req.sort.descending, virtual: v };
}

type KeyFn = (row: number) => number | string | null;

function sortKey(info: ObjectTypeInfo, sort: ResolvedSort, snapshots: Map<number, SnapshotState>): KeyFn {
  const table = info.table;
  if (sort.virtual === 'id') return (row) => table.ids[row];
  if (sort.virtual === 'created') return (row) => snapshots.get(row)?.createdAt ?? table.createdAt[row];
  if (sort.virtual === 'updated') return (row) => snapshots.get(row)?.updatedAt ?? table.updatedAt[row];
  const def = info.properties.get(sort.propertyName);
  const kind = def ? kindOf(def.type) : 'string';
  const col = table.column(sort.propertyName);
  const fromSnapshot = (row: number) => snapshots.get(row)?.values.get(sort.propertyName) ?? null;
  if (kind === 'number' || kind === 'time') {
    const parse = kind === 'number' ? parseNumber : parseTime;
    const nums = col?.numericDict(parse);
    return (row) => {
      if (snapshots.has(row)) {
        const s = fromSnapshot(row);
        return s === null ? null : parse(s);
      }
      if (!col || !nums) return null;
      const n = nums[col.codes[row]];
      return Number.isNaN(n) ? null : n;
    };
  }
  const lowered = col?.loweredDict();
  return (row) => {
    if (snapshots.has(row)) return fromSnapshot(row)?.toLowerCase() ?? null;
    if (!col || !lowered) return null;
    const code = col.codes[row];
    return code === 0 ? null : lowered[code];
  };
}

/** Rows [offset, end) of `rows` ordered by key (nulls last), ties by id (= row order), all reversed when descending. */
function selectPage(rows: number[], key: KeyFn, descending: boolean, offset: number, end: number): number[] {
  if (end <= offset || rows.length === 0) return [];
  const keys = rows.map(key);
  const cmp = (a: number, b: number) => {
    const ka = keys[a];
    const kb = keys[b];
    // Descending is the exact reverse of ascending (ties by id too), as an index walked backwards
    // gives; records without a value come last either way.
    const tie = descending ? rows[b] - rows[a] : rows[a] - rows[b];
    if (ka === null || kb === null) return ka === kb ? tie : ka === null ? 1 : -1;
    if (ka < kb) return descending ? 1 : -1;
    if (ka > kb) return descending ? -1 : 1;
    return tie;
  };
  const order: number[] = [];
  if (rows.length <= 4 * end || rows.length < 50_000) {
    for (let i = 0; i < rows.length; i++) order.push(i);
    order.sort(cmp);
  } else {
    // Keep only the best `end` (bounded insertion into a sorted buffer) for large matches.
    for (let i = 0; i < rows.length; i++) {
      if (order.length === end && cmp(i, order[end - 1]) >= 0) continue;
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(order[mid], i) <= 0) lo = mid + 1;
        else hi = mid;
      }
      order.splice(lo, 0, i);
      if (order.length > end) order.pop();
    }
  }
  return order.slice(offset, end).map((i) => rows[i]);
}
