/**
 * Caching of authenticated keys and of the organization lookups that follow, per process. Every
 * authenticated request otherwise costs two queries before its handler runs. A revoked key (or a
 * removed membership, or a moved default organization) is honoured within `ttlMs` on every replica,
 * and at once on the replica that revoked it. Unknown keys and failed membership checks are never
 * cached, so a new key or a new membership works immediately.
 */
export interface ApiKeyCacheOptions {
  /** How long a lookup is reused; 0 = no caching. */
  ttlMs: number;
  /** Entries kept per cache at most (least recently used dropped first). Default 10 000. */
  maxEntries?: number;
}

export const API_KEY_CACHE_OPTIONS = Symbol('API_KEY_CACHE_OPTIONS');

export const DEFAULT_API_KEY_CACHE_MAX_ENTRIES = 10_000;
