import { defaultKnobs } from '../state/knobs';
import { PortalUsage, burstLimitFor, dailyLimitFor, dayKey } from './usage-tracker';

describe('usage tracker', () => {
  const knobs = defaultKnobs();
  const input = { appId: 1, appType: 'private' as const, tier: 'starter' as const, isSearch: false, accountTier: 'starter' as const, limitPacks: 0, timeZone: 'UTC' };

  it('knows HubSpot\'s limits per app type and tier', () => {
    expect(burstLimitFor('public', 'enterprise')).toBe(110);
    expect(burstLimitFor('private', 'starter')).toBe(100);
    expect(burstLimitFor('private', 'professional')).toBe(190);
    expect(burstLimitFor('private', 'limit-pack')).toBe(250);
    expect(dailyLimitFor('professional', 0)).toBe(625_000);
    expect(dailyLimitFor('enterprise', 1)).toBe(2_000_000);
  });

  it('admits 100 in a rolling 10 s window, then frees slots as old requests age out', () => {
    const usage = new PortalUsage();
    const t = 1_000_000;
    for (let i = 0; i < 100; i++) expect(usage.admit(input, knobs, t + i).ok).toBe(true);
    const rejected = usage.admit(input, knobs, t + 500);
    expect(rejected.ok).toBe(false);
    expect(rejected.ok === false && rejected.policy).toBe('TEN_SECONDLY_ROLLING');
    expect(usage.admit(input, knobs, t + 10_001).ok).toBe(true);
  });

  it('tracks the maximum requests seen in any 10 s window, rejected ones included', () => {
    const usage = new PortalUsage();
    for (let i = 0; i < 30; i++) usage.arrived(1, false, 1000 + i * 100);
    for (let i = 0; i < 5; i++) usage.arrived(1, false, 20_000 + i);
    expect(usage.snapshot().maxWindowRequests).toBe(30);
    expect(usage.snapshot().requests).toBe(35);
  });

  it('keeps search out of the burst window: its own 5 / s limit, counted separately', () => {
    const usage = new PortalUsage();
    const search = { ...input, isSearch: true };
    const t = 2_000_000;
    for (let i = 0; i < 100; i++) {
      usage.arrived(1, false, t + i);
      expect(usage.admit(input, knobs, t + i).ok).toBe(true);
    }
    for (let i = 0; i < 6; i++) usage.arrived(1, true, t + 200 + i);
    const searches = Array.from({ length: 6 }, (_, i) => usage.admit(search, knobs, t + 200 + i));
    // The burst window is full, yet five searches pass; the sixth in the same second hits SECONDLY.
    expect(searches.filter((a) => a.ok)).toHaveLength(5);
    expect(searches[5]).toMatchObject({ ok: false, policy: 'SECONDLY' });
    expect(usage.admit(input, knobs, t + 300)).toMatchObject({ ok: false, policy: 'TEN_SECONDLY_ROLLING' });
    const counters = usage.snapshot();
    expect(counters).toMatchObject({ requests: 106, searchRequests: 6, maxWindowRequests: 100, maxSearchPerSecond: 6 });
    expect(counters.perApp['1'].maxWindowRequests).toBe(100);
  });

  it('resets the daily quota at midnight in the portal time zone', () => {
    expect(dayKey(Date.parse('2025-01-01T22:30:00Z'), 'UTC')).toBe('2025-01-01');
    expect(dayKey(Date.parse('2025-01-01T23:30:00Z'), 'Europe/Stockholm')).toBe('2025-01-02');
    const usage = new PortalUsage();
    const low = { ...knobs, dailyLimit: 2 };
    const stockholm = { ...input, timeZone: 'Europe/Stockholm' };
    expect(usage.admit(stockholm, low, Date.parse('2025-01-01T22:00:00Z')).ok).toBe(true);
    expect(usage.admit(stockholm, low, Date.parse('2025-01-01T22:00:01Z')).ok).toBe(true);
    expect(usage.admit(stockholm, low, Date.parse('2025-01-01T22:00:20Z')).ok).toBe(false);
    expect(usage.admit(stockholm, low, Date.parse('2025-01-01T23:00:00Z')).ok).toBe(true);
  });
});
