import { AppTier, AppType } from '../auth/auth-registry';
import { AccountTier } from '../crm/portal';
import { Knobs } from '../state/knobs';

/** Timestamps of events, counted over a trailing window. */
export class RollingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Adds an event and returns how many fall in the window ending now (including it). */
  add(now: number): number {
    this.times.push(now);
    return this.count(now);
  }

  count(now: number): number {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Time (ms) until the oldest event leaves the window. */
  msUntilSlot(now: number): number {
    this.count(now);
    return this.head < this.times.length ? this.times[this.head] + this.windowMs - now : 0;
  }
}

export interface PortalCounters {
  /** Every API request that reached the portal (authenticated), 429s included. */
  requests: number;
  http429: number;
  /**
   * Most burst-counted requests seen in any rolling 10-second window (all apps, rejected ones
   * included). Search requests are not in it: HubSpot limits search separately (5 / s per account)
   * and search responses carry no burst headers (HUBSPOT-FACTS.md "Limits": search row; HubSpot
   * changelog "burst limits are increasing…": "does not affect the CRM Search API").
   */
  maxWindowRequests: number;
  /** Search requests (counted in `requests` too, but never in `maxWindowRequests`). */
  searchRequests: number;
  /** Most search requests seen in any rolling 1-second window. */
  maxSearchPerSecond: number;
  /** OAuth token grants (authorization_code + refresh_token) for this portal. */
  tokenGrants: number;
  tokenRefreshes: number;
  injectedErrors: number;
  connectionResets: number;
  byStatus: Record<string, number>;
  dailyUsed: number;
  perApp: Record<string, { requests: number; http429: number; maxWindowRequests: number }>;
}

interface AppUsage {
  window: RollingWindow;
  requests: number;
  http429: number;
  maxWindowRequests: number;
  sentWindow: RollingWindow;
}

export type Admission =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'; headers: Record<string, string> };

/**
 * Limits from HubSpot's API usage guidelines (developers.hubspot.com/docs/guides/apps/api-usage/usage-details):
 * public OAuth apps 110 / 10 s per installing account; private apps 100 (Free/Starter),
 * 190 (Professional/Enterprise), 250 (API limit increase pack) / 10 s; daily 250,000 (Free/Starter),
 * 625,000 (Professional), 1,000,000 (Enterprise), +1,000,000 per limit pack, shared by the account's
 * apps and reset at midnight in the account's time zone.
 */
export function burstLimitFor(appType: AppType, tier: AppTier): number {
  if (appType === 'public') return 110;
  if (tier === 'limit-pack') return 250;
  return tier === 'free' || tier === 'starter' ? 100 : 190;
}

export function dailyLimitFor(tier: AccountTier, limitPacks: number): number {
  const base = tier === 'free' || tier === 'starter' ? 250_000 : tier === 'professional' ? 625_000 : 1_000_000;
  return base + limitPacks * 1_000_000;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar day (YYYY-MM-DD) of `now` in a time zone: the daily limit's reset boundary. */
export function dayKey(now: number, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(now);
}

/** Request accounting and rate limiting of one portal. */
export class PortalUsage {
  readonly counters: PortalCounters = emptyCounters();
  private all = new RollingWindow(10_000);
  private searchSent = new RollingWindow(1_000);
  private searchAdmitted = new RollingWindow(1_000);
  private readonly apps = new Map<number, AppUsage>();
  private day = '';

  private app(appId: number): AppUsage {
    let u = this.apps.get(appId);
    if (!u) {
      u = { window: new RollingWindow(10_000), sentWindow: new RollingWindow(10_000), requests: 0, http429: 0, maxWindowRequests: 0 };
      this.apps.set(appId, u);
    }
    return u;
  }

  /**
   * Records that a request arrived (before any decision). Search requests go to the per-second
   * search window only; every other request to the 10-second burst windows, as HubSpot accounts them.
   */
  arrived(appId: number, isSearch: boolean, now: number): void {
    const c = this.counters;
    c.requests++;
    const a = this.app(appId);
    a.requests++;
    if (isSearch) {
      c.searchRequests++;
      c.maxSearchPerSecond = Math.max(c.maxSearchPerSecond, this.searchSent.add(now));
      return;
    }
    c.maxWindowRequests = Math.max(c.maxWindowRequests, this.all.add(now));
    a.maxWindowRequests = Math.max(a.maxWindowRequests, a.sentWindow.add(now));
  }

  /**
   * Decides whether a request is admitted. Search requests have their own per-second limit and
   * carry no rate-limit headers; others count against the app's 10-second window and the
   * portal's daily quota. Rejected requests do not consume quota.
   */
  admit(
    input: { appId: number; appType: AppType; tier: AppTier; isSearch: boolean; accountTier: AccountTier; limitPacks: number; timeZone: string },
    knobs: Knobs,
    now: number,
  ): Admission {
    const today = dayKey(now, input.timeZone);
    if (today !== this.day) {
      this.day = today;
      this.counters.dailyUsed = 0;
    }
    const daily = knobs.dailyLimit ?? dailyLimitFor(input.accountTier, input.limitPacks);
    const burst = knobs.burstLimit ?? burstLimitFor(input.appType, input.tier);
    const a = this.app(input.appId);
    if (input.isSearch) {
      if (knobs.limitsEnabled && this.searchAdmitted.count(now) >= knobs.searchPerSecond) return { ok: false, policy: 'SECONDLY', headers: {} };
      if (knobs.limitsEnabled && this.counters.dailyUsed >= daily) return { ok: false, policy: 'DAILY', headers: {} };
      this.searchAdmitted.add(now);
      this.counters.dailyUsed++;
      return { ok: true, headers: {} };
    }
    const inWindow = a.window.count(now);
    const headers = (remaining: number, dailyRemaining: number): Record<string, string> => {
      const h: Record<string, string> = {
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
        'X-HubSpot-RateLimit-Max': String(burst),
        'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
      };
      // Daily headers are sent to private apps only, not on OAuth calls (HubSpot changelog on
      // rate-limit headers for OAuth apps; HUBSPOT-FACTS.md "headers").
      if (input.appType === 'private') {
        h['X-HubSpot-RateLimit-Daily'] = String(daily);
        h['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, dailyRemaining));
      }
      return h;
    };
    if (knobs.limitsEnabled && this.counters.dailyUsed >= daily) return { ok: false, policy: 'DAILY', headers: headers(burst - inWindow, 0) };
    if (knobs.limitsEnabled && inWindow >= burst) return { ok: false, policy: 'TEN_SECONDLY_ROLLING', headers: headers(0, daily - this.counters.dailyUsed) };
    a.window.add(now);
    this.counters.dailyUsed++;
    return { ok: true, headers: headers(burst - inWindow - 1, daily - this.counters.dailyUsed) };
  }

  responded(appId: number | undefined, status: number): void {
    const c = this.counters;
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    if (status === 429) {
      c.http429++;
      if (appId !== undefined) this.app(appId).http429++;
    }
  }

  snapshot(): PortalCounters {
    const perApp: PortalCounters['perApp'] = {};
    for (const [id, a] of this.apps) perApp[id] = { requests: a.requests, http429: a.http429, maxWindowRequests: a.maxWindowRequests };
    return { ...this.counters, byStatus: { ...this.counters.byStatus }, perApp };
  }

  /** Clears counters and the rate-limit windows (a fresh start for the next test). */
  reset(): void {
    Object.assign(this.counters, emptyCounters());
    this.apps.clear();
    this.all = new RollingWindow(10_000);
    this.searchSent = new RollingWindow(1_000);
    this.searchAdmitted = new RollingWindow(1_000);
    this.day = '';
  }
}

function emptyCounters(): PortalCounters {
  return {
    requests: 0, http429: 0, maxWindowRequests: 0, searchRequests: 0, maxSearchPerSecond: 0, tokenGrants: 0, tokenRefreshes: 0,
    injectedErrors: 0, connectionResets: 0, byStatus: {}, dailyUsed: 0, perApp: {},
  };
}
