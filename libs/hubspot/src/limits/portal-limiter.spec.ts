import fc from 'fast-check';
import { ProviderError } from '../errors/provider-error';
import { PortalLimiter } from './portal-limiter';
import { rateLimitProfile } from './rate-limit-profile';

import { answered, flush, T0 } from '../../test/limiter-fakes';

describe('PortalLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('allows 80% of a public app burst (floor(0.8 × 110) = 88) per window, then waits for the oldest to leave', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public'), windowMarginMs: 250 });
    expect(limiter.burstCapacity).toBe(88);
    const granted: number[] = [];
    for (let i = 0; i < 90; i++) void limiter.acquire('general').then(answered(() => granted.push(Date.now() - T0)), () => undefined);
    await flush();
    expect(granted).toHaveLength(88);
    await jest.advanceTimersByTimeAsync(10_249);
    expect(granted).toHaveLength(88);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(90);
    expect(granted.slice(88)).toEqual([10_250, 10_250]);
    limiter.close();
  });

  it('never lets any rolling window exceed the share, whatever the arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 250 }), async (offsets) => {
        jest.setSystemTime(T0);
        const limiter = new PortalLimiter({ profile: { ...rateLimitProfile('public'), burstMax: 20 }, share: 0.5, windowMarginMs: 0 });
        const grants: number[] = [];
        const sorted = [...offsets].sort((a, b) => a - b);
        let clock = 0;
        for (const at of sorted) {
          await jest.advanceTimersByTimeAsync(at - clock);
          clock = at;
          void limiter.acquire('general').then(answered(() => grants.push(Date.now())), () => undefined);
        }
        await jest.advanceTimersByTimeAsync(400_000);
        expect(grants).toHaveLength(sorted.length);
        for (let i = 0; i < grants.length; i++) {
          const inWindow = grants.filter((g) => g >= grants[i] && g < grants[i] + 10_000).length;
          expect(inWindow).toBeLessThanOrEqual(10);
        }
        limiter.close();
      }),
      { numRuns: 40 },
    );
  });

  it('learns the burst limit and interval from X-HubSpot-RateLimit-Max / -Interval-Milliseconds', () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public') });
    limiter.observe({ 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-remaining': '189' });
    expect(limiter.burstCapacity).toBe(152);
    limiter.observe({ 'x-hubspot-ratelimit-max': 'garbage' });
    expect(limiter.burstCapacity).toBe(152);
  });

  it('counts usage HubSpot reports beyond ours (-Remaining) against the window', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public') });
    await limiter.acquire('general');
    // HubSpot saw 60 requests in the window (a previous driver's, say); we made 1.
    limiter.observe({ 'x-hubspot-ratelimit-max': '110', 'x-hubspot-ratelimit-remaining': '50' });
    expect(limiter.stats().burstUsed).toBe(60);
    const granted: number[] = [];
    for (let i = 0; i < 30; i++) void limiter.acquire('general').then(answered(() => granted.push(i)), () => undefined);
    await flush();
    expect(granted).toHaveLength(28); // 88 - 60
    limiter.close();
  });

  it('reconciles the daily budget with -Daily / -Daily-Remaining and pauses until midnight in the portal time zone', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('private', 'professional'), timeZone: 'America/New_York' });
    limiter.observe({ 'x-hubspot-ratelimit-daily': '1000', 'x-hubspot-ratelimit-daily-remaining': '201' });
    expect(limiter.stats()).toMatchObject({ dailyMax: 1000, dailyCapacity: 800, dailyUsed: 799 });
    await limiter.acquire('general');
    const error = await limiter.acquire('general').catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('rate_limited');
    expect(error.details.policy).toBe('DAILY');
    // 15:00 UTC on 5 March is 10:00 in New York; midnight there is 05:00 UTC on the 6th.
    expect(error.details.retryAt.toISOString()).toBe('2025-03-06T05:00:00.000Z');
    jest.setSystemTime(Date.parse('2025-03-06T05:00:01Z'));
    await expect(limiter.acquire('general')).resolves.toEqual(expect.any(Function));
    limiter.close();
  });

  it('on 429 TEN_SECONDLY_ROLLING closes the general bucket for a window but not search', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public'), windowMarginMs: 250 });
    const until = limiter.onRateLimited('TEN_SECONDLY_ROLLING', 'general');
    expect(until - T0).toBe(10_250);
    let general = false;
    let search = false;
    void limiter.acquire('general').then(answered(() => (general = true)), () => undefined);
    void limiter.acquire('search').then(answered(() => (search = true)), () => undefined);
    await flush();
    expect(search).toBe(true);
    expect(general).toBe(false);
    await jest.advanceTimersByTimeAsync(10_250);
    expect(general).toBe(true);
    expect(limiter.stats().http429).toBe(1);
    limiter.close();
  });

  it('on the secondly search throttle waits one second for search only', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public') });
    expect(limiter.onRateLimited('SECONDLY_SEARCH', 'search') - T0).toBe(1_000);
    let search = false;
    void limiter.acquire('search').then(answered(() => (search = true)), () => undefined);
    await expect(limiter.acquire('general')).resolves.toEqual(expect.any(Function));
    await jest.advanceTimersByTimeAsync(999);
    expect(search).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(search).toBe(true);
    limiter.close();
  });

  it('on a DAILY 429 rejects waiting and new acquisitions until midnight in the portal zone', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public'), timeZone: 'Asia/Kolkata' });
    for (let i = 0; i < 88; i++) await limiter.acquire('general');
    const waiting = limiter.acquire('general');
    const until = limiter.onRateLimited('DAILY', 'general');
    expect(new Date(until).toISOString()).toBe('2025-03-05T18:30:00.000Z');
    await expect(waiting).rejects.toMatchObject({ kind: 'rate_limited', details: { policy: 'DAILY' } });
    await expect(limiter.acquire('search')).rejects.toMatchObject({ details: { policy: 'DAILY' } });
    expect(limiter.stats().dailyPausedUntil).toBe(until);
    limiter.close();
  });

  it('keeps search at 80% of 5/s (4 per second) separately from the burst window', async () => {
    const limiter = new PortalLimiter({ profile: rateLimitProfile('public'), searchWindowMarginMs: 0 });
    const granted: number[] = [];
    for (let i = 0; i < 9; i++) void limiter.acquire('search').then(answered(() => granted.push(Date.now() - T0)), () => undefined);
    await flush();
    expect(granted).toEqual([0, 0, 0, 0]);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(granted).toEqual([0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 2_000]);
    expect(limiter.stats().burstUsed).toBe(0);
    limiter.close();
  });

  it('shares a bucket between lanes by weight and gives an idle lane’s share to the others', async () => {
    const limiter = new PortalLimiter({
      profile: rateLimitProfile('public'),
      searchWindowMarginMs: 0,
      laneWeights: { edge: 2, lag: 1, backfill: 1 },
    });
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      for (const lane of ['edge', 'lag', 'backfill']) void limiter.acquire('search', { lane }).then(answered(() => order.push(lane)), () => undefined);
    }
    await jest.advanceTimersByTimeAsync(10_000);
    const first40 = order.slice(0, 40);
    const count = (lane: string) => first40.filter((l) => l === lane).length;
    expect(count('edge')).toBe(20);
    expect(count('lag')).toBe(10);
    expect(count('backfill')).toBe(10);
    await jest.advanceTimersByTimeAsync(40_000);
    expect(order).toHaveLength(120); // work-conserving: everything eventually runs
    limiter.close();
  });

  it('hands its window over: a restored snapshot counts the previous driver’s requests', async () => {
    const first = new PortalLimiter({ profile: rateLimitProfile('public') });
    for (let i = 0; i < 80; i++) await first.acquire('general');
    const snapshot = first.snapshot();
    first.close();
    const second = new PortalLimiter({ profile: rateLimitProfile('public') });
    second.restore(JSON.parse(JSON.stringify(snapshot)));
    const granted: number[] = [];
    for (let i = 0; i < 10; i++) void second.acquire('general').then(answered(() => granted.push(i)), () => undefined);
    await flush();
    expect(granted).toHaveLength(8);
    expect(second.stats().dailyUsed).toBe(88);
    second.close();
  });

  it('aborted acquisitions leave the queue', async () => {
    const limiter = new PortalLimiter({ profile: { ...rateLimitProfile('public'), burstMax: 1 }, share: 1 });
    await limiter.acquire('general');
    const controller = new AbortController();
    const waiting = limiter.acquire('general', { signal: controller.signal });
    expect(limiter.waiting('general')).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(limiter.waiting('general')).toBe(0);
    limiter.close();
  });
});
