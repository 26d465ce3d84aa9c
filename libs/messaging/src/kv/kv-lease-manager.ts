import { KV, NatsConnection, NatsError, nanos } from 'nats';

export interface KvLeaseOptions {
  /** KV bucket holding the leases; default `leases`. */
  bucket?: string;
  /** Lease lifetime: a lease not renewed within it expires (bucket-level max age). */
  ttlMs: number;
  /** Who holds leases taken through this manager (stored as the value, for operators). */
  holder: string;
}

export interface LeaseHolder {
  holder: string;
  revision: number;
  acquiredAt: string;
}

/** JetStream API error: wrong last sequence (the key changed since the revision we hold). */
const WRONG_LAST_SEQUENCE = 10071;
const KEY = /^[-/_=.a-zA-Z0-9]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isWrongRevision(error: unknown): boolean {
  return (error as NatsError | undefined)?.api_error?.err_code === WRONG_LAST_SEQUENCE;
}

/**
 * A lease taken on one key. `revision` is the KV revision of our latest write: it only ever grows for
 * a key, and a successor's revision is above every revision we wrote, so it is the fence token
 * (`… WHERE fence <= $revision`).
 */
export class KvLease {
  private lost = false;

  constructor(
    private readonly kv: KV,
    readonly key: string,
    readonly holder: string,
    private value: Uint8Array,
    private currentRevision: number,
  ) {}

  get revision(): number {
    return this.currentRevision;
  }

  /** False once a renew failed or the lease was released. */
  get held(): boolean {
    return !this.lost;
  }

  /**
   * Extends the lease by another TTL: `update(key, value, revision)` succeeds only if nobody wrote the
   * key since our last write. Returns false when the lease is gone (expired and taken, or released).
   */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    try {
      this.currentRevision = await this.kv.update(this.key, this.value, this.currentRevision);
      return true;
    } catch (error) {
      if (!isWrongRevision(error)) throw error;
      this.lost = true;
      return false;
    }
  }

  /** Deletes the key if we still hold it (a successor's lease is never touched). */
  async release(): Promise<void> {
    if (this.lost) return;
    this.lost = true;
    try {
      await this.kv.delete(this.key, { previousSeq: this.currentRevision });
    } catch (error) {
      if (!isWrongRevision(error)) throw error;
    }
  }
}

/**
 * Leases in a NATS KV bucket. nats-server 2.9 has no per-key TTL, so the bucket's max age is the lease
 * TTL (DESIGN §3): `create` takes a free key, `update` with the held revision renews it.
 */
export class KvLeaseManager {
  private kv?: Promise<KV>;
  readonly bucket: string;

  constructor(private readonly nc: NatsConnection, private readonly options: KvLeaseOptions) {
    if (!(options.ttlMs >= 1_000)) throw new Error('KvLeaseManager: ttlMs must be at least 1000');
    this.bucket = options.bucket ?? 'leases';
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** Takes the lease on `key`, or returns null while someone else holds it. */
  async acquire(key: string): Promise<KvLease | null> {
    assertKey(key);
    const kv = await this.bucketKv();
    const value = encoder.encode(JSON.stringify({ holder: this.options.holder, acquiredAt: new Date().toISOString() }));
    try {
      const revision = await kv.create(key, value);
      return new KvLease(kv, key, this.options.holder, value, revision);
    } catch (error) {
      if (isWrongRevision(error)) return null;
      throw error;
    }
  }

  /** Who holds `key` now, if anyone. */
  async current(key: string): Promise<LeaseHolder | null> {
    assertKey(key);
    const entry = await (await this.bucketKv()).get(key);
    if (!entry || entry.operation !== 'PUT') return null;
    try {
      const value = JSON.parse(decoder.decode(entry.value)) as { holder?: string; acquiredAt?: string };
      return { holder: value.holder ?? 'unknown', acquiredAt: value.acquiredAt ?? '', revision: entry.revision };
    } catch {
      return { holder: 'unknown', acquiredAt: '', revision: entry.revision };
    }
  }

  private bucketKv(): Promise<KV> {
    this.kv ??= this.openBucket().catch((error) => {
      this.kv = undefined;
      throw error;
    });
    return this.kv;
  }

  /** Opens (or creates) the bucket and brings an existing bucket's TTL in line with the configuration. */
  private async openBucket(): Promise<KV> {
    const js = this.nc.jetstream();
    const kv = await js.views.kv(this.bucket, { ttl: this.options.ttlMs, history: 1 });
    const status = await kv.status();
    if (status.ttl !== this.options.ttlMs) {
      const jsm = await this.nc.jetstreamManager();
      // The server requires duplicate_window ≤ max_age.
      const window = Math.min(this.options.ttlMs, 120_000);
      await jsm.streams.update(`KV_${this.bucket}`, { max_age: nanos(this.options.ttlMs), duplicate_window: nanos(window) });
    }
    return kv;
  }
}

function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`lease key "${key}" may only contain letters, digits and - / _ = .`);
}
