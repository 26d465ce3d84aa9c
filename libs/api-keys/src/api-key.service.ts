import { Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_CACHE_OPTIONS, ApiKeyCacheOptions, DEFAULT_API_KEY_CACHE_MAX_ENTRIES } from './api-key-cache.options';
import { generateApiKey, hashApiKey, parseApiKeyPrefix } from './api-key-format';
import { Principal } from './principal';
import { TtlCache } from './ttl-cache';

export interface CreateApiKeyInput {
  organizationUid: string;
  userUid: string;
  name: string;
}

export interface CreatedApiKey {
  /** The plaintext key: returned once, never stored. */
  apiKey: string;
  prefix: string;
  uid: string;
}

export interface ApiKeySummary {
  uid: string;
  organization_uid: string;
  user_uid: string;
  name: string | null;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** How stale `last_used_at` may get before a request writes it again (one write a minute per key at most). */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  /** Principals of active keys by key hash (see ApiKeyCacheOptions); off unless configured. */
  private readonly principals: TtlCache<Principal>;
  /** Lookups under way, so concurrent requests with one key share a single query. */
  private readonly inFlight = new Map<string, Promise<Principal | null>>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(API_KEY_CACHE_OPTIONS) cache?: ApiKeyCacheOptions,
  ) {
    this.principals = new TtlCache(cache?.ttlMs ?? 0, cache?.maxEntries ?? DEFAULT_API_KEY_CACHE_MAX_ENTRIES);
  }

  /** Issues a key for a user inside one of the user's organizations. */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const membership = await this.dataSource.query(
      `SELECT 1 FROM core.memberships WHERE organization_uid = $1 AND user_uid = $2`,
      [input.organizationUid, input.userUid],
    );
    if (membership.length === 0) {
      throw new NotFoundException(`User ${input.userUid} is not a member of organization ${input.organizationUid}`);
    }
    const key = generateApiKey();
    const rows: { uid: string }[] = await this.dataSource.query(
      `INSERT INTO core.api_keys (organization_uid, user_uid, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING uid`,
      [input.organizationUid, input.userUid, input.name, key.prefix, key.keyHash],
    );
    return { apiKey: key.apiKey, prefix: key.prefix, uid: rows[0].uid };
  }

  async list(organizationUid: string): Promise<ApiKeySummary[]> {
    return this.dataSource.query(
      `SELECT uid, organization_uid, user_uid, name, prefix, created_at, last_used_at, revoked_at
         FROM core.api_keys WHERE organization_uid = $1 ORDER BY created_at`,
      [organizationUid],
    );
  }

  /** Revokes a key of the organization; true when it was active. Unknown key → 404. */
  async revoke(organizationUid: string, keyUidOrPrefix: string): Promise<boolean> {
    const byUid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(keyUidOrPrefix);
    const rows: { uid: string; revoked_at: Date | null }[] = await this.dataSource.query(
      `SELECT uid, revoked_at FROM core.api_keys WHERE organization_uid = $1 AND ${byUid ? 'uid = $2::uuid' : 'prefix = $2'}`,
      [organizationUid, keyUidOrPrefix],
    );
    if (rows.length === 0) throw new NotFoundException(`API key ${keyUidOrPrefix} not found`);
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING on PostgreSQL.
    const updated = await this.dataSource.query(
      `WITH revoked AS (UPDATE core.api_keys SET revoked_at = now() WHERE uid = $1 AND revoked_at IS NULL RETURNING uid)
       SELECT uid FROM revoked`,
      [rows[0].uid],
    );
    // This replica stops accepting the key at once; others within the cache's ttl.
    this.principals.deleteWhere((principal) => principal.apiKeyUid === rows[0].uid);
    return updated.length > 0;
  }

  /**
   * The principal of an active key whose user is still a member of the key's organization, or null.
   * Lookup is by hash (a unique index), so no plaintext comparison happens here.
   */
  async authenticate(candidate: string): Promise<Principal | null> {
    const prefix = parseApiKeyPrefix(candidate);
    if (!prefix) return null;
    const keyHash = hashApiKey(candidate);
    const cached = this.principals.get(keyHash);
    if (cached) return cached;
    if (!this.principals.enabled) return this.lookUp(keyHash, prefix);
    let pending = this.inFlight.get(keyHash);
    if (!pending) {
      pending = this.lookUp(keyHash, prefix).finally(() => this.inFlight.delete(keyHash));
      this.inFlight.set(keyHash, pending);
    }
    const principal = await pending;
    // Only active keys are cached: an unknown key is looked up again next time.
    if (principal) this.principals.set(keyHash, principal);
    return principal;
  }

  private async lookUp(keyHash: string, prefix: string): Promise<Principal | null> {
    const rows: { uid: string; organization_uid: string; user_uid: string; stale: boolean }[] = await this.dataSource.query(
      `SELECT k.uid, k.organization_uid, k.user_uid,
              (k.last_used_at IS NULL OR k.last_used_at < now() - make_interval(secs => $3)) AS stale
         FROM core.api_keys k
         JOIN core.memberships m ON m.organization_uid = k.organization_uid AND m.user_uid = k.user_uid
        WHERE k.key_hash = $1 AND k.prefix = $2 AND k.revoked_at IS NULL`,
      [keyHash, prefix, LAST_USED_WRITE_INTERVAL_MS / 1000],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    if (row.stale) await this.touch(row.uid);
    // Frozen: with the cache on, one principal object serves many requests.
    return Object.freeze({ userUid: row.user_uid, keyOrganizationUid: row.organization_uid, apiKeyUid: row.uid });
  }

  private async touch(uid: string): Promise<void> {
    try {
      // The condition repeats the staleness test so concurrent requests write at most once.
      await this.dataSource.query(
        `UPDATE core.api_keys SET last_used_at = now()
          WHERE uid = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [uid, LAST_USED_WRITE_INTERVAL_MS / 1000],
      );
    } catch (error) {
      // Bookkeeping only: a failed write must not fail the caller's request.
      this.logger.warn(`Could not update last_used_at of API key ${uid}: ${(error as Error).message}`);
    }
  }
}
