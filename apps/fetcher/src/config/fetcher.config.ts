import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvBoolean, IsHttpUrl } from '@hubsync/config';

export const SERVICE_NAME = 'fetcher';

const int = { message: '$property must be an integer' };
const atLeast = (n: number) => ({ message: `$property must be at least ${n}` });

/**
 * fetcher configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class FetcherConfig extends BaseServiceConfig {
  override PORT = 3002;

  /** HubSpot API host (the sandbox in dev/tests). */
  @IsHttpUrl()
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

  // ── portal drivers (issue 5 §2) ────────────────────────────────────────────────────────────────
  /** Identifies this replica in leases and the fleet registry; default `<hostname>-<pid>`. */
  @IsOptional()
  @Matches(/^[-_a-zA-Z0-9]{1,64}$/, { message: '$property may only contain letters, digits, - and _ (at most 64)' })
  FETCHER_ID?: string;

  /** Portals one fetcher drives at most. */
  @IsInt(int)
  @Min(1, atLeast(1))
  FETCHER_MAX_PORTALS = 50;

  /** Portal lease lifetime (KV bucket TTL); renewed every third of it. A SIGKILLed driver's portal is adopted after it. */
  @IsInt(int)
  @Min(1_000, atLeast(1_000))
  LEASE_TTL_MS = 15_000;

  @Matches(/^[-_a-zA-Z0-9]+$/, { message: '$property must be a KV bucket name' })
  LEASE_BUCKET = 'fetcher_portal_leases';

  @Matches(/^[-_a-zA-Z0-9]+$/, { message: '$property must be a KV bucket name' })
  FLEET_BUCKET = 'fetcher_fleet';

  /** How often every fetcher looks for portals with queued work and no live lease, and rebalances. */
  @IsInt(int)
  @Min(100, atLeast(100))
  ADOPTION_SWEEP_INTERVAL_MS = 5_000;

  /** A portal handed over is not re-adopted by the same fetcher for this long. */
  @IsInt(int)
  @Min(0, atLeast(0))
  HANDOVER_COOLDOWN_MS = 30_000;

  /** How long a stopping driver waits for in-flight pages before it releases its lease anyway. */
  @IsInt(int)
  @Min(0, atLeast(0))
  DRIVER_STOP_GRACE_MS = 5_000;

  // ── budgets (issue 5 §3) ──────────────────────────────────────────────────────────────────────
  /** Share of each portal's limits the fetchers use (Weld: 80%). */
  @IsNumber({}, { message: '$property must be a number' })
  @Min(0.01, atLeast(0.01))
  @Max(1, { message: '$property must be at most 1' })
  HUBSPOT_RATE_SHARE = 0.8;

  /** Share of the 5/s search limit; default HUBSPOT_RATE_SHARE. */
  @IsOptional()
  @IsNumber({}, { message: '$property must be a number' })
  @Min(0.01, atLeast(0.01))
  @Max(1, { message: '$property must be at most 1' })
  HUBSPOT_SEARCH_SHARE?: number;

  /** Tier assumed for private apps until the limit headers tell (free|starter|professional|enterprise). */
  @IsIn(['free', 'starter', 'professional', 'enterprise'], { message: '$property must be free, starter, professional or enterprise' })
  HUBSPOT_DEFAULT_TIER: 'free' | 'starter' | 'professional' | 'enterprise' = 'free';

  /**
   * Extra width of the enforced 10-second window. A slot is held from send until its response and
   * then a full window (libs/hubspot SlidingWindowLog), which already covers any delay between our
   * send and HubSpot's count; this margin only absorbs timer rounding. (Before slots were held to the
   * response, 250 ms let a window reach share + 1 on a loaded 2-core machine.)
   */
  @IsInt(int)
  @Min(0, atLeast(0))
  HUBSPOT_WINDOW_MARGIN_MS = 100;

  @IsInt(int)
  @Min(1_000, atLeast(1_000))
  HUBSPOT_REQUEST_TIMEOUT_MS = 30_000;

  /** Attempts on 5xx, 423, timeouts and resets before a call fails. */
  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_RETRY_MAX_ATTEMPTS = 6;

  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_RETRY_BASE_MS = 500;

  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_RETRY_MAX_DELAY_MS = 30_000;

  // ── search limits (sources disagree: the stricter default, configurable) ─────────────────────
  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_SEARCH_MAX_FILTER_GROUPS = 5;

  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_SEARCH_MAX_FILTERS_PER_GROUP = 6;

  @IsInt(int)
  @Min(1, atLeast(1))
  HUBSPOT_SEARCH_MAX_FILTERS_TOTAL = 18;

  @IsInt(int)
  @Min(1, atLeast(1))
  @Max(200, { message: '$property must be at most 200 (HubSpot search page limit)' })
  SEARCH_PAGE_SIZE = 200;

  // ── strategies (issue 5 §5) ───────────────────────────────────────────────────────────────────
  /** `auto`: search on the create date when the job filters, else id-ordered list pages. */
  @IsIn(['auto', 'search', 'list'], { message: '$property must be auto, search or list' })
  BACKFILL_METHOD: 'auto' | 'search' | 'list' = 'auto';

  /** Object types of one job fetched at once per portal. */
  @IsInt(int)
  @Min(1, atLeast(1))
  FETCH_CONCURRENCY = 3;

  /** Run the continuous incremental sweeps of portals with synced streams. */
  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  INCREMENTAL_ENABLED = true;

  /** Target interval of bleeding-edge sweeps per object type (stretched when search budget is short). */
  @IsInt(int)
  @Min(100, atLeast(100))
  EDGE_INTERVAL_MS = 5_000;

  /** How far behind now the lagging sweep runs (search-index lag it tolerates). */
  @IsInt(int)
  @Min(0, atLeast(0))
  LAG_WINDOW_MS = 300_000;

  /** How often the lagging sweep runs per object type. */
  @IsInt(int)
  @Min(100, atLeast(100))
  LAG_SWEEP_INTERVAL_MS = 60_000;

  /** Continuous delete sweeps (archived listing, id sweep) per object type; 0 = only on request. */
  @IsInt(int)
  @Min(0, atLeast(0))
  DELETE_SWEEP_INTERVAL_MS = 900_000;

  /** Continuous association sweeps per portal; 0 = only on request. */
  @IsInt(int)
  @Min(0, atLeast(0))
  ASSOCIATION_SWEEP_INTERVAL_MS = 3_600_000;

  /** Schema re-introspection per connection (a new property triggers a backfill of its stream); 0 = only on request. */
  @IsInt(int)
  @Min(0, atLeast(0))
  SCHEMA_SWEEP_INTERVAL_MS = 900_000;

  /**
   * Fingerprints kept in memory in front of PostgreSQL, per fetcher. Small: a sweep larger than the
   * cache never hits it (id-ordered walk), so it only helps portals that fit.
   */
  @IsInt(int)
  @Min(0, atLeast(0))
  FINGERPRINT_CACHE_SIZE = 10_000;

  // ── output (issue 5 §7) ───────────────────────────────────────────────────────────────────────
  @IsInt(int)
  @Min(1, atLeast(1))
  @Max(200, { message: '$property must be at most 200' })
  BATCH_MAX_RECORDS = 200;

  /** Byte cap of one batch message (JetStream max_payload is 1 MB). */
  @IsInt(int)
  @Min(16_384, atLeast(16_384))
  @Max(768 * 1024, { message: '$property must be at most 786432 (MAX_MESSAGE_BYTES)' })
  BATCH_MAX_BYTES = 512 * 1024;

  /** auth.token.get.v1 / auth.token.invalidate.v1 request timeout. */
  @IsInt(int)
  @Min(100, atLeast(100))
  AUTH_REQUEST_TIMEOUT_MS = 5_000;

  /** JetStream ack wait of the portal-work consumer (short in tests). */
  @IsInt(int)
  @Min(200, atLeast(200))
  WORK_ACK_WAIT_MS = 30_000;
}
