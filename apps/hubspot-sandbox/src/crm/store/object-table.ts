import { Column } from './column';
import { TimeIndex } from './time-index';

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
}

/** What search still sees of a row while its latest write is inside the search-index lag. */
export interface SearchSnapshot {
  visibleAt: number;
  /** null: the row did not exist (or was archived) for search before the write. */
  state: { values: Map<string, string>; createdAt: number; updatedAt: number } | null;
}

/** First HubSpot-looking id; ids above 2^31 catch code that stores them in 32-bit integers. */
export const ID_BASE = 10_000_000_000;

/**
 * All records of one object type in one portal, stored by column: typed arrays for ids and
 * timestamps, one dictionary-encoded `Column` per property. Rows are append-only and in id order
 * (ids only grow), so id lookups are binary searches and "oldest first" is row order.
 */
export class ObjectTable {
  size = 0;
  ids = new Float64Array(1024);
  createdAt = new Float64Array(1024);
  updatedAt = new Float64Array(1024);
  /** 0 = live; otherwise the archive time in epoch ms. */
  archivedAt = new Float64Array(1024);
  readonly columns = new Map<string, Column>();
  readonly createdIndex = new TimeIndex();
  readonly updatedIndex = new TimeIndex();
  /** Live rows by id (ids only grow, so appends keep it sorted). */
  readonly idIndex = new TimeIndex();
  /** Property history for rows changed after creation (newest last). */
  readonly history = new Map<number, Map<string, HistoryEntry[]>>();
  /** Source each row was created by (propertiesWithHistory's first entry), as an index into `sources`. */
  private sourceCodes = new Uint8Array(1024);
  private readonly sources = ['API'];
  readonly pending = new Map<number, SearchSnapshot>();
  pendingFlags = new Uint8Array(1024);
  /** id of a record merged away → id of the record it was merged into. */
  readonly mergedInto = new Map<number, number>();
  archivedCount = 0;
  private nextId = ID_BASE;

  constructor(
    readonly objectTypeId: string,
    /** Virtual properties answered from the typed arrays instead of columns. */
    readonly createDateProperties: string[],
    readonly modifiedDateProperties: string[],
  ) {}

  get liveCount(): number {
    return this.size - this.archivedCount;
  }

  column(name: string): Column | undefined {
    return this.columns.get(name);
  }

  private columnForWrite(name: string): Column {
    let col = this.columns.get(name);
    if (!col) {
      col = new Column(this.ids.length);
      this.columns.set(name, col);
    }
    col.ensureCapacity(this.ids.length);
    return col;
  }

  isVirtual(name: string): boolean {
    return name === 'hs_object_id' || this.createDateProperties.includes(name) || this.modifiedDateProperties.includes(name);
  }

  /** The stored value (string) of a property; virtual properties are formatted from the arrays. */
  value(row: number, name: string): string | null {
    if (name === 'hs_object_id') return String(this.ids[row]);
    if (this.createDateProperties.includes(name)) return new Date(this.createdAt[row]).toISOString();
    if (this.modifiedDateProperties.includes(name)) return new Date(this.updatedAt[row]).toISOString();
    const col = this.columns.get(name);
    return col ? col.get(row) : null;
  }

  /**
   * Appends an empty row (bulk generation fills columns with `setValue`); returns the row.
   * Ids increase by a small deterministic gap so they are not contiguous.
   */
  appendRow(createdAt: number, updatedAt: number, source = 'API'): number {
    const row = this.size;
    this.ensureCapacity(row + 1);
    this.nextId += 1 + (Math.imul(row + 1, 2654435761) >>> 29);
    this.ids[row] = this.nextId;
    this.createdAt[row] = createdAt;
    this.updatedAt[row] = updatedAt;
    this.archivedAt[row] = 0;
    this.size++;
    this.sourceCodes[row] = this.sourceCode(source);
    this.createdIndex.touch(row, createdAt);
    this.updatedIndex.touch(row, updatedAt);
    this.idIndex.touch(row, this.nextId);
    return row;
  }

  private sourceCode(source: string): number {
    let i = this.sources.indexOf(source);
    if (i < 0 && this.sources.length < 255) {
      this.sources.push(source);
      i = this.sources.length - 1;
    }
    return Math.max(0, i);
  }

  createdBy(row: number): string {
    return this.sources[this.sourceCodes[row]];
  }

  /** Raw column write without history (generation and row construction). */
  setValue(row: number, name: string, value: string | null): void {
    if (value === null || value === '') {
      this.columns.get(name)?.set(row, null);
      return;
    }
    this.columnForWrite(name).set(row, value);
  }

  /** Appends a record with its properties. */
  insert(properties: Record<string, string | null>, createdAt: number, updatedAt = createdAt, source = 'API'): number {
    const row = this.appendRow(createdAt, updatedAt, source);
    for (const [name, value] of Object.entries(properties)) {
      if (!this.isVirtual(name)) this.setValue(row, name, value);
    }
    return row;
  }

  /**
   * Writes properties; returns the names whose value changed. `updatedAt` moves only when
   * something changed (HubSpot does not bump lastmodifieddate for a no-op update).
   */
  update(row: number, properties: Record<string, string | null>, at: number, source = 'API'): string[] {
    const changed: string[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      if (this.isVirtual(name)) continue;
      const value = raw === '' ? null : raw;
      const before = this.value(row, name);
      if (before === value) continue;
      this.recordHistory(row, name, before, value, at, source);
      this.columnForWrite(name).set(row, value);
      changed.push(name);
    }
    if (changed.length > 0) this.touch(row, at);
    return changed;
  }

  touch(row: number, at: number): void {
    this.updatedAt[row] = at;
    this.updatedIndex.touch(row, at);
  }

  archive(row: number, at: number): void {
    if (this.archivedAt[row] !== 0) return;
    this.archivedAt[row] = at;
    this.archivedCount++;
    this.updatedAt[row] = at;
    this.updatedIndex.remove(row);
    this.createdIndex.remove(row);
    this.idIndex.remove(row);
  }

  /** Sets the create time (admin/generator use: HubSpot lets imports set createdate). */
  setCreatedAt(row: number, at: number): void {
    this.createdAt[row] = at;
    if (this.archivedAt[row] === 0) this.createdIndex.touch(row, at);
  }

  setUpdatedAt(row: number, at: number): void {
    this.updatedAt[row] = at;
    if (this.archivedAt[row] === 0) this.updatedIndex.touch(row, at);
  }

  rowOf(id: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Live row for an id string, or -1. */
  liveRow(id: string): number {
    if (!/^\d+$/.test(id)) return -1;
    const row = this.rowOf(Number(id));
    return row >= 0 && this.archivedAt[row] === 0 ? row : -1;
  }

  historyOf(row: number, name: string): HistoryEntry[] {
    const recorded = this.history.get(row)?.get(name);
    if (recorded) return recorded;
    const value = this.value(row, name);
    if (value === null) return [];
    const at = this.isVirtual(name) && this.modifiedDateProperties.includes(name) ? this.updatedAt[row] : this.createdAt[row];
    return [{ value, timestamp: at, sourceType: this.createdBy(row) }];
  }

  private recordHistory(row: number, name: string, before: string | null, after: string | null, at: number, source: string): void {
    let perRow = this.history.get(row);
    if (!perRow) {
      perRow = new Map();
      this.history.set(row, perRow);
    }
    let entries = perRow.get(name);
    if (!entries) {
      entries = before === null ? [] : [{ value: before, timestamp: this.createdAt[row], sourceType: this.createdBy(row) }];
      perRow.set(name, entries);
    }
    entries.push({ value: after ?? '', timestamp: at, sourceType: source });
  }

  /** Copies a row's searchable state before a write that search must not see yet. */
  markPending(row: number, visibleAt: number, existedForSearch: boolean): void {
    const current = this.pending.get(row);
    if (current) {
      current.visibleAt = Math.max(current.visibleAt, visibleAt);
      return;
    }
    let state: SearchSnapshot['state'] = null;
    if (existedForSearch) {
      const values = new Map<string, string>();
      for (const [name, col] of this.columns) {
        const v = col.get(row);
        if (v !== null) values.set(name, v);
      }
      state = { values, createdAt: this.createdAt[row], updatedAt: this.updatedAt[row] };
    }
    this.pending.set(row, { visibleAt, state });
    this.ensurePendingFlags();
    this.pendingFlags[row] = 1;
  }

  /** Drops snapshots whose lag has passed. */
  settlePending(now: number): void {
    if (this.pending.size === 0) return;
    for (const [row, snap] of this.pending) {
      if (snap.visibleAt <= now) {
        this.pending.delete(row);
        this.pendingFlags[row] = 0;
      }
    }
  }

  private ensurePendingFlags(): void {
    if (this.pendingFlags.length >= this.ids.length) return;
    const grown = new Uint8Array(this.ids.length);
    grown.set(this.pendingFlags);
    this.pendingFlags = grown;
  }

  ensureCapacity(capacity: number): void {
    if (capacity <= this.ids.length) return;
    let next = this.ids.length;
    while (next < capacity) next *= 2;
    const grow = (a: Float64Array) => {
      const g = new Float64Array(next);
      g.set(a);
      return g;
    };
    this.ids = grow(this.ids);
    this.createdAt = grow(this.createdAt);
    this.updatedAt = grow(this.updatedAt);
    this.archivedAt = grow(this.archivedAt);
    const codes = new Uint8Array(next);
    codes.set(this.sourceCodes);
    this.sourceCodes = codes;
    for (const col of this.columns.values()) col.ensureCapacity(next);
    this.ensurePendingFlags();
  }
}
