import { AssociationTypeRegistry, pairKey } from './association-types';

/**
 * Associations of one portal. Each direction keeps, per source row, a flat array
 * `[toRow, typeSetId, toRow, typeSetId, …]` sorted by `toRow` (rows are in id order, so this is
 * ascending target id — stable paging). A type set is an interned sorted list of typeIds, so an
 * edge costs two numbers per direction however many labels it carries.
 * HubSpot facts: associations carry no timestamps and are not searchable (HUBSPOT-FACTS.md,
 * "Associations (v4)"); every labeled association also has the pair's unlabeled type (v4 guide).
 */
export class AssociationStore {
  private readonly sets: number[][] = [];
  private readonly setIds = new Map<string, number>();
  private readonly adjacency = new Map<string, Map<number, number[]>>();

  constructor(readonly types: AssociationTypeRegistry) {}

  typeIdsOf(setId: number): number[] {
    return this.sets[setId];
  }

  /** Interned id of a type set (callers generating many edges of one kind reuse it). */
  internTypeSet(typeIds: number[]): number {
    return this.intern(typeIds);
  }

  private intern(typeIds: number[]): number {
    const sorted = [...new Set(typeIds)].sort((a, b) => a - b);
    const key = sorted.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(sorted);
      this.setIds.set(key, id);
    }
    return id;
  }

  private direction(from: string, to: string): Map<number, number[]> {
    const key = pairKey(from, to);
    let adj = this.adjacency.get(key);
    if (!adj) {
      adj = new Map();
      this.adjacency.set(key, adj);
    }
    return adj;
  }

  /** The flat `[toRow, setId, …]` list of a row, or undefined. */
  list(from: string, fromRow: number, to: string): number[] | undefined {
    return this.adjacency.get(pairKey(from, to))?.get(fromRow);
  }

  /** Type ids on the edge, or undefined when there is none. */
  edgeTypes(from: string, fromRow: number, to: string, toRow: number): number[] | undefined {
    const list = this.list(from, fromRow, to);
    if (!list) return undefined;
    const i = findPair(list, toRow);
    return i >= 0 ? this.sets[list[i + 1]] : undefined;
  }

  /**
   * Adds types to the edge (creating it); the pair's unlabeled type is always included.
   * Returns the edge's type ids afterwards and whether anything changed.
   */
  add(from: string, fromRow: number, to: string, toRow: number, typeIds: number[]): { typeIds: number[]; changed: boolean } {
    const defaults = this.types.defaultType(from, to);
    const existing = this.edgeTypes(from, fromRow, to, toRow) ?? [];
    const next = [...new Set([...existing, defaults.typeId, ...typeIds])].sort((a, b) => a - b);
    const changed = next.join(',') !== existing.join(',');
    if (changed) {
      this.put(from, fromRow, to, toRow, next);
      this.put(to, toRow, from, fromRow, next.map((t) => this.types.find(t)?.def.inverseTypeId ?? t));
    }
    return { typeIds: next, changed };
  }

  /** Removes the given types (all when omitted); removing the unlabeled type removes the edge. */
  remove(from: string, fromRow: number, to: string, toRow: number, typeIds?: number[]): boolean {
    const existing = this.edgeTypes(from, fromRow, to, toRow);
    if (!existing) return false;
    const defaults = this.types.defaultType(from, to).typeId;
    const drop = typeIds ? new Set(typeIds) : null;
    const next = drop && !drop.has(defaults) ? existing.filter((t) => !drop.has(t)) : [];
    if (next.length === existing.length) return false;
    this.put(from, fromRow, to, toRow, next);
    this.put(to, toRow, from, fromRow, next.map((t) => this.types.find(t)?.def.inverseTypeId ?? t));
    return true;
  }

  /** Every (toType, flat list) of a row, across all pairs starting at `from`. */
  *outgoing(from: string, fromRow: number): Generator<[string, number[]]> {
    const prefix = `${from}>`;
    for (const [key, adj] of this.adjacency) {
      if (!key.startsWith(prefix)) continue;
      const list = adj.get(fromRow);
      if (list && list.length > 0) yield [key.slice(prefix.length), list];
    }
  }

  /** All edges of a directed pair: visit(fromRow, toRow, typeIds). */
  forEachEdge(from: string, to: string, visit: (fromRow: number, toRow: number, typeIds: number[]) => void): void {
    const adj = this.adjacency.get(pairKey(from, to));
    if (!adj) return;
    for (const [fromRow, list] of adj) for (let i = 0; i < list.length; i += 2) visit(fromRow, list[i], this.sets[list[i + 1]]);
  }

  private put(from: string, fromRow: number, to: string, toRow: number, typeIds: number[]): void {
    const adj = this.direction(from, to);
    let list = adj.get(fromRow);
    if (!list) {
      if (typeIds.length === 0) return;
      list = [];
      adj.set(fromRow, list);
    }
    const i = findPair(list, toRow);
    if (typeIds.length === 0) {
      if (i >= 0) list.splice(i, 2);
      if (list.length === 0) adj.delete(fromRow);
      return;
    }
    const setId = this.intern(typeIds);
    if (i >= 0) {
      list[i + 1] = setId;
      return;
    }
    const at = insertionPoint(list, toRow);
    list.splice(at, 0, toRow, setId);
  }

  /** Adds an edge with pre-interned type sets for both directions (bulk generation). */
  appendFast(from: string, fromRow: number, to: string, toRow: number, typeSetId: number, inverseTypeSetId: number): void {
    pushSorted(this.direction(from, to), fromRow, toRow, typeSetId);
    pushSorted(this.direction(to, from), toRow, fromRow, inverseTypeSetId);
  }
}

function pushSorted(adj: Map<number, number[]>, row: number, toRow: number, setId: number): void {
  let list = adj.get(row);
  if (!list) {
    list = [];
    adj.set(row, list);
  }
  if (list.length === 0 || list[list.length - 2] < toRow) list.push(toRow, setId);
  else {
    const i = findPair(list, toRow);
    if (i >= 0) list[i + 1] = setId;
    else list.splice(insertionPoint(list, toRow), 0, toRow, setId);
  }
}

/** Index (even) of `toRow` in a flat sorted pair list, or -1. */
export function findPair(list: number[], toRow: number): number {
  let lo = 0;
  let hi = list.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid * 2];
    if (v === toRow) return mid * 2;
    if (v < toRow) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Even index of the first pair whose row is > toRow (or >= when inclusive). */
export function insertionPoint(list: number[], toRow: number, inclusive = false): number {
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid * 2];
    if (v < toRow || (!inclusive && v === toRow)) lo = mid + 1;
    else hi = mid;
  }
  return lo * 2;
}
