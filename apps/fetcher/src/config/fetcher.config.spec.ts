import { loadConfig } from '@hubsync/config';
import { FetcherSettings } from '../settings/fetcher-settings';
import { FetcherConfig } from './fetcher.config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', NATS_URL: 'nats://127.0.0.1:4222' };

describe('FetcherConfig', () => {
  it('has the documented defaults (80% share, 15 s lease, 5 s edge interval, 5 min lag window)', () => {
    const settings = FetcherSettings.fromConfig(loadConfig(FetcherConfig, base));
    expect(settings).toMatchObject({ share: 0.8, leaseTtlMs: 15_000, edgeIntervalMs: 5_000, lagWindowMs: 300_000, maxPortals: 50, batchMaxRecords: 200 });
    expect(settings.searchLimits).toMatchObject({ maxFilterGroups: 5, maxFiltersPerGroup: 6, maxFiltersTotal: 18 });
  });

  it('reads overrides and names every bad variable', () => {
    const settings = FetcherSettings.fromConfig(loadConfig(FetcherConfig, { ...base, EDGE_INTERVAL_MS: '1000', FETCHER_ID: 'f-1' }));
    expect(settings).toMatchObject({ edgeIntervalMs: 1_000, fetcherId: 'f-1' });
    expect(() => loadConfig(FetcherConfig, { ...base, HUBSPOT_RATE_SHARE: '1.5', LEASE_TTL_MS: '10', BACKFILL_METHOD: 'magic' })).toThrow(
      /HUBSPOT_RATE_SHARE.*|LEASE_TTL_MS|BACKFILL_METHOD/,
    );
    try {
      loadConfig(FetcherConfig, { ...base, HUBSPOT_RATE_SHARE: '1.5', LEASE_TTL_MS: '10', BACKFILL_METHOD: 'magic' });
    } catch (e) {
      for (const name of ['HUBSPOT_RATE_SHARE', 'LEASE_TTL_MS', 'BACKFILL_METHOD']) expect((e as Error).message).toContain(name);
    }
  });
});
