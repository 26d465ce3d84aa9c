import { hostname } from 'node:os';
import { DEFAULT_SEARCH_LIMITS, SearchLimits } from '@hubsync/hubspot';
import { FetcherConfig } from '../config/fetcher.config';

/** The fetcher's tunables, derived once from the validated configuration (injectable, easy to build in tests). */
export class FetcherSettings {
  fetcherId = `${hostname().replace(/[^-_a-zA-Z0-9]/g, '-').slice(0, 40)}-${process.pid}`;
  apiBaseUrl = 'https://api.hubapi.com';
  maxPortals = 50;
  leaseTtlMs = 15_000;
  leaseBucket = 'fetcher_portal_leases';
  fleetBucket = 'fetcher_fleet';
  adoptionSweepIntervalMs = 5_000;
  handoverCooldownMs = 30_000;
  driverStopGraceMs = 5_000;
  share = 0.8;
  searchShare: number | undefined;
  defaultTier: 'free' | 'starter' | 'professional' | 'enterprise' = 'free';
  windowMarginMs = 1000;
  requestTimeoutMs = 30_000;
  retryMaxAttempts = 6;
  retryBaseMs = 500;
  retryMaxDelayMs = 30_000;
  searchLimits: SearchLimits = { ...DEFAULT_SEARCH_LIMITS };
  searchPageSize = 200;
  backfillMethod: 'auto' | 'search' | 'list' = 'auto';
  fetchConcurrency = 3;
  incrementalEnabled = true;
  edgeIntervalMs = 5_000;
  lagWindowMs = 300_000;
  lagSweepIntervalMs = 60_000;
  deleteSweepIntervalMs = 900_000;
  associationSweepIntervalMs = 3_600_000;
  schemaSweepIntervalMs = 900_000;
  fingerprintCacheSize = 10_000;
  batchMaxRecords = 200;
  batchMaxBytes = 512 * 1024;
  authRequestTimeoutMs = 5_000;

  static fromConfig(c: FetcherConfig): FetcherSettings {
    const s = new FetcherSettings();
    if (c.FETCHER_ID) s.fetcherId = c.FETCHER_ID;
    s.apiBaseUrl = c.HUBSPOT_API_BASE_URL;
    s.maxPortals = c.FETCHER_MAX_PORTALS;
    s.leaseTtlMs = c.LEASE_TTL_MS;
    s.leaseBucket = c.LEASE_BUCKET;
    s.fleetBucket = c.FLEET_BUCKET;
    s.adoptionSweepIntervalMs = c.ADOPTION_SWEEP_INTERVAL_MS;
    s.handoverCooldownMs = c.HANDOVER_COOLDOWN_MS;
    s.driverStopGraceMs = c.DRIVER_STOP_GRACE_MS;
    s.share = c.HUBSPOT_RATE_SHARE;
    s.searchShare = c.HUBSPOT_SEARCH_SHARE;
    s.defaultTier = c.HUBSPOT_DEFAULT_TIER;
    s.windowMarginMs = c.HUBSPOT_WINDOW_MARGIN_MS;
    s.requestTimeoutMs = c.HUBSPOT_REQUEST_TIMEOUT_MS;
    s.retryMaxAttempts = c.HUBSPOT_RETRY_MAX_ATTEMPTS;
    s.retryBaseMs = c.HUBSPOT_RETRY_BASE_MS;
    s.retryMaxDelayMs = c.HUBSPOT_RETRY_MAX_DELAY_MS;
    s.searchLimits = {
      ...DEFAULT_SEARCH_LIMITS,
      maxFilterGroups: c.HUBSPOT_SEARCH_MAX_FILTER_GROUPS,
      maxFiltersPerGroup: c.HUBSPOT_SEARCH_MAX_FILTERS_PER_GROUP,
      maxFiltersTotal: c.HUBSPOT_SEARCH_MAX_FILTERS_TOTAL,
    };
    s.searchPageSize = c.SEARCH_PAGE_SIZE;
    s.backfillMethod = c.BACKFILL_METHOD;
    s.fetchConcurrency = c.FETCH_CONCURRENCY;
    s.incrementalEnabled = c.INCREMENTAL_ENABLED;
    s.edgeIntervalMs = c.EDGE_INTERVAL_MS;
    s.lagWindowMs = c.LAG_WINDOW_MS;
    s.lagSweepIntervalMs = c.LAG_SWEEP_INTERVAL_MS;
    s.deleteSweepIntervalMs = c.DELETE_SWEEP_INTERVAL_MS;
    s.associationSweepIntervalMs = c.ASSOCIATION_SWEEP_INTERVAL_MS;
    s.schemaSweepIntervalMs = c.SCHEMA_SWEEP_INTERVAL_MS;
    s.fingerprintCacheSize = c.FINGERPRINT_CACHE_SIZE;
    s.batchMaxRecords = c.BATCH_MAX_RECORDS;
    s.batchMaxBytes = c.BATCH_MAX_BYTES;
    s.authRequestTimeoutMs = c.AUTH_REQUEST_TIMEOUT_MS;
    return s;
  }
}
