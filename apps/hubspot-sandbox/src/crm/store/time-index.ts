/**
 * An ordered index of rows by a numeric key (a timestamp), kept as an append log: touching a row
 * appends `(key, row)` and marks its previous entry stale. Writes happen "now", so appends usually
 * stay sorted and a range query is a binary search plus a walk; an out-of-order write (seeding,
 * admin edits) marks the log unsorted and the next query rebuilds it once.
 * Ties are ordered by row, and rows are in id order, so ties come out by ascending id.
 */
export class TimeIndex {
  private rows = new Int32Array(1024);
  private keys = new Float64Array(1024);
  private length = 0;
  /** Log position of each row's live entry (-1: not indexed). */
  private position = new Int32Array(1024).fill(-1);
  private sorted = true;
  private stale = 0;

  touch(row: number, key: number): void {
    this.ensureRow(row);
    if (this.position[row] >= 0) this.stale++;
    if (this.length === this.rows.length) this.growLog();
    if (this.length > 0) {
      const lastKey = this.keys[this.length - 1];
      if (key < lastKey || (key === lastKey && row < this.rows[this.length - 1])) this.sorted = false;
    }
    this.rows[this.length] = row;
    this.keys[this.length] = key;
    this.position[row] = this.length;
    this.length++;
  }

  remove(row: number): void {
    if (row < this.position.length && this.position[row] >= 0) {
      this.position[row] = -1;
      this.stale++;
    }
  }

  /** Number of rows indexed. */
  get size(): number {
    return this.length - this.stale;
  }

  /**
   * Calls `visit(row)` for live rows with key in the range, ascending (or descending) by
   * `(key, row)`; stops when `visit` returns false.
   */
  scan(
    range: { lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean },
    descending: boolean,
    visit: (row: number) => boolean | void,
  ): void {
    this.prepare();
    const start = range.lo === undefined ? 0 : range.loInclusive === false ? this.upperBound(range.lo) : this.lowerBound(range.lo);
    const end = range.hi === undefined ? this.length : range.hiInclusive === false ? this.lowerBound(range.hi) : this.upperBound(range.hi);
    const { rows, position } = this;
    if (!descending) {
      for (let i = start; i < end; i++) {
        const row = rows[i];
        if (position[row] === i && visit(row) === false) return;
      }
    } else {
      for (let i = end - 1; i >= start; i--) {
        const row = rows[i];
        if (position[row] === i && visit(row) === false) return;
      }
    }
  }

  /**
   * Compacts the log (drops stale entries) and returns the log positions [start, end) of the
   * range: after this, `end - start` is the exact number of live rows in the range and
   * `rowAt(i)` reads them in order — O(log n) counting for the common "modified since" query.
   */
  bounds(range: { lo?: number; loInclusive?: boolean; hi?: number; hiInclusive?: boolean }): [number, number] {
    this.prepare(true);
    const start = range.lo === undefined ? 0 : range.loInclusive === false ? this.upperBound(range.lo) : this.lowerBound(range.lo);
    const end = range.hi === undefined ? this.length : range.hiInclusive === false ? this.lowerBound(range.hi) : this.upperBound(range.hi);
    return [start, Math.max(start, end)];
  }

  /** Row at a log position (valid right after `bounds`). */
  rowAt(position: number): number {
    return this.rows[position];
  }

  private prepare(compact = false): void {
    if (this.sorted && (compact ? this.stale === 0 : this.stale <= this.length / 2)) return;
    const live = new Int32Array(this.length - this.stale);
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.position[this.rows[i]] === i) live[n++] = this.rows[i];
    const keyOf = new Float64Array(this.position.length);
    for (let i = 0; i < n; i++) keyOf[live[i]] = this.keys[this.position[live[i]]];
    if (!this.sorted) live.sort((a, b) => keyOf[a] - keyOf[b] || a - b);
    for (let i = 0; i < n; i++) {
      this.rows[i] = live[i];
      this.keys[i] = keyOf[live[i]];
      this.position[live[i]] = i;
    }
    this.length = n;
    this.stale = 0;
    this.sorted = true;
  }

  private lowerBound(key: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(key: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private growLog(): void {
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.rows = rows;
    this.keys = keys;
  }

  private ensureRow(row: number): void {
    if (row < this.position.length) return;
    let next = this.position.length;
    while (next <= row) next *= 2;
    const grown = new Int32Array(next).fill(-1);
    grown.set(this.position);
    this.position = grown;
  }
}
