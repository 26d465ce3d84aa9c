/**
 * One property's values for every row of a table, dictionary-encoded: `codes[row]` indexes `dict`
 * (code 0 = no value). A million rows cost 4 MB per populated property plus the distinct strings,
 * which is what keeps a 1 M-object portal far below a JS object per value.
 */
const INTERN_LIMIT = 262_144;

export class Column {
  codes: Uint32Array;
  readonly dict: string[] = [''];
  /** value → code while the dictionary is small; high-cardinality columns stop interning. */
  private intern: Map<string, number> | null = new Map();
  private writes = 0;
  /** Parsed numeric value per dictionary code (NaN when not numeric), built on demand for search. */
  private numbers?: Float64Array;
  private lowered?: string[];

  constructor(capacity: number) {
    this.codes = new Uint32Array(Math.max(16, capacity));
  }

  ensureCapacity(capacity: number): void {
    if (capacity <= this.codes.length) return;
    let next = this.codes.length;
    while (next < capacity) next *= 2;
    const grown = new Uint32Array(next);
    grown.set(this.codes);
    this.codes = grown;
  }

  get(row: number): string | null {
    const code = this.codes[row];
    return code === 0 ? null : this.dict[code];
  }

  /** Sets a value; `null` or `''` clears it (HubSpot stores an empty value as no value). */
  set(row: number, value: string | null): void {
    this.codes[row] = value === null || value === '' ? 0 : this.codeFor(value);
  }

  codeFor(value: string): number {
    if (this.intern) {
      const known = this.intern.get(value);
      if (known !== undefined) return known;
      // Mostly-unique columns (emails, names) gain nothing from interning: stop paying for the map.
      if (++this.writes >= 4096 && this.dict.length > this.writes * 0.6) this.intern = null;
    }
    const code = this.dict.length;
    this.dict.push(value);
    if (this.intern) {
      this.intern.set(value, code);
      if (this.intern.size > INTERN_LIMIT) this.intern = null;
    }
    this.numbers = undefined;
    this.lowered = undefined;
    return code;
  }

  /** Numeric view of each dictionary entry (dates as epoch ms), for range filters and sorting. */
  numericDict(parse: (v: string) => number): Float64Array {
    if (!this.numbers || this.numbers.length !== this.dict.length) {
      const out = new Float64Array(this.dict.length);
      out[0] = NaN;
      for (let i = 1; i < this.dict.length; i++) out[i] = parse(this.dict[i]);
      this.numbers = out;
    }
    return this.numbers;
  }

  loweredDict(): string[] {
    if (!this.lowered || this.lowered.length !== this.dict.length) this.lowered = this.dict.map((v) => v.toLowerCase());
    return this.lowered;
  }
}
