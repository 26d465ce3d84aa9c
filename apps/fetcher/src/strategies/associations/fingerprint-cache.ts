import type { PairKey } from './fingerprints.repository';

/** Beyond this many distinct pairs the interned pair ids are reset (and the cache with them). */
const MAX_PAIRS = 10_000;

/**
 * Bounded LRU of association fingerprints in front of PostgreSQL (`sync.association_fingerprints`).
 *
 * Sized small on purpose: a sweep reads every from-id once, in id order, so for a portal larger than
 * the cache an LRU never hits (each entry is evicted before the next sweep asks again) — it only
 * saves queries for portals that fit. Keys are `<pair number>:<fromId>` rather than the whole pair
 * spelled out: with 100 k entries the long concatenated keys were the fetcher's biggest retained heap
 * (a heap snapshot after a 100 k backfill: ~35 MB of key and fingerprint strings).
 */
export class FingerprintCache {
  private readonly pairIds = new Map<string, number>();
  private readonly entries = new Map<string, string>();
  private lastPair: PairKey | undefined;
  private lastPrefix = '';

  constructor(private maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  resize(maxEntries: number): void {
    this.maxEntries = Math.max(0, maxEntries);
    this.evict();
  }

  get(pair: PairKey, fromId: string): string | undefined {
    const key = this.keyOf(pair, fromId);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Most recently used goes last (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(pair: PairKey, fromId: string, fingerprint: string): void {
    if (this.maxEntries === 0) return;
    const key = this.keyOf(pair, fromId);
    this.entries.delete(key);
    this.entries.set(key, fingerprint);
    this.evict();
  }

  delete(pair: PairKey, fromId: string): void {
    if (this.pairIds.has(pairName(pair))) this.entries.delete(this.keyOf(pair, fromId));
  }

  private keyOf(pair: PairKey, fromId: string): string {
    // Callers pass the same pair object for a whole batch of ids: name it once per batch.
    if (pair !== this.lastPair) {
      const name = pairName(pair);
      let id = this.pairIds.get(name);
      if (id === undefined) {
        if (this.pairIds.size >= MAX_PAIRS) {
          this.pairIds.clear();
          this.entries.clear();
        }
        id = this.pairIds.size;
        this.pairIds.set(name, id);
      }
      this.lastPair = pair;
      this.lastPrefix = `${id}:`;
    }
    return this.lastPrefix + fromId;
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

function pairName(pair: PairKey): string {
  return `${pair.connectionId}|${pair.fromType}|${pair.toType}`;
}
