/**
 * HubSpot's published limits by app type and account tier (HUBSPOT-FACTS "Limits"; developers.hubspot.com
 * "API usage guidelines and limits"; changelog "increasing our API limits"; search-the-crm doc).
 * These are the starting point; `PortalLimiter` then learns the real values from the
 * `X-HubSpot-RateLimit-*` headers of each portal's responses.
 */
export type HubspotAppType = 'public' | 'private';
export type HubspotTier = 'free' | 'starter' | 'professional' | 'enterprise';

export interface RateLimitProfile {
  /** Requests per rolling burst window (10 s). */
  burstMax: number;
  burstIntervalMs: number;
  /** Requests per day (account-wide, all apps); resets at midnight in the account's time zone. */
  dailyMax: number;
  /** Search API: 5 requests per second per account, not covered by the burst headers. */
  searchMax: number;
  searchIntervalMs: number;
}

const DAILY_BY_TIER: Record<HubspotTier, number> = {
  free: 250_000,
  starter: 250_000,
  professional: 625_000,
  enterprise: 1_000_000,
};

export function rateLimitProfile(appType: HubspotAppType, tier: HubspotTier = 'free', limitPacks = 0): RateLimitProfile {
  // Public OAuth apps: 110 / rolling 10 s per installing account (older docs said 100).
  // Private apps: 100 (Free/Starter), 190 (Pro/Enterprise), 250 with the API limit pack.
  const burstMax =
    appType === 'public' ? 110 : limitPacks > 0 ? 250 : tier === 'professional' || tier === 'enterprise' ? 190 : 100;
  return {
    burstMax,
    burstIntervalMs: 10_000,
    dailyMax: DAILY_BY_TIER[tier] + limitPacks * 1_000_000,
    searchMax: 5,
    searchIntervalMs: 1_000,
  };
}
