import { PortalLimiter, ReleaseSlot } from './portal-limiter';
import { rateLimitProfile } from './rate-limit-profile';

import { flush, T0 } from '../../test/limiter-fakes';

const WINDOW_MS = 10_000;

/** Deterministic PRNG (mulberry32) so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Most arrivals inside any closed server window [a, a + length]. */
function busiestWindow(arrivals: number[], length: number): number {
  const sorted = [...arrivals].sort((x, y) => x - y);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] <= sorted[start] + length) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/**
 * Workers send as fast as the limiter admits; each request reaches HubSpot 0–2 s after its send and its
 * answer comes back 0–2 s after that. `accounting: 'send'` releases the slot at its send instant — the
 * old accounting (a slot held for one window from the send) — to prove the check can fail.
 */
async function simulate(seed: number, accounting: 'response' | 'send'): Promise<{ arrivals: number[]; capacity: number }> {
  jest.setSystemTime(T0);
  const rnd = random(seed);
  const limiter = new PortalLimiter({ profile: { ...rateLimitProfile('public'), burstMax: 20 }, share: 0.5, windowMarginMs: 0 });
  const arrivals: number[] = [];
  const durationMs = 120_000;
  const worker = async () => {
    while (Date.now() - T0 < durationMs) {
      let release: ReleaseSlot;
      try {
        release = await limiter.acquire('general');
      } catch {
        return; // closed at the end
      }
      const sentAt = Date.now();
      const toServer = 1 + rnd() * 1_999;
      const back = 1 + rnd() * 1_999;
      arrivals.push(sentAt + toServer);
      if (accounting === 'send') release(sentAt);
      await new Promise((resolve) => setTimeout(resolve, toServer + back));
      release();
    }
  };
  const workers = Array.from({ length: 30 }, () => worker());
  // Every worker stops taking slots at durationMs; the last answers come back within a window + 4 s.
  await jest.advanceTimersByTimeAsync(durationMs + WINDOW_MS + 5_000);
  limiter.close();
  await jest.advanceTimersByTimeAsync(5_000);
  await Promise.all(workers);
  return { arrivals, capacity: limiter.burstCapacity };
}

describe('PortalLimiter slots held until the answer arrives', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  const profile = { ...rateLimitProfile('public'), burstMax: 20 }; // share 0.5 → 10 per window

  it('blocks admission while the window is full of in-flight requests, however long they take', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0 });
    const releases: ReleaseSlot[] = [];
    for (let i = 0; i < 10; i++) releases.push(await limiter.acquire('general'));
    let next: ReleaseSlot | undefined;
    void limiter.acquire('general').then((r) => (next = r), () => undefined);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(next).toBeUndefined();
    expect(limiter.stats().inFlight.general).toBe(10);
    limiter.close();
  });

  it('frees a finished slot exactly one window after its answer, once however often it is released', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0 });
    const releases: ReleaseSlot[] = [];
    for (let i = 0; i < 10; i++) releases.push(await limiter.acquire('general'));
    const granted: number[] = [];
    for (let i = 0; i < 2; i++) void limiter.acquire('general').then(() => granted.push(Date.now() - T0), () => undefined);
    await jest.advanceTimersByTimeAsync(3_000);
    releases[0]();
    releases[0](); // idempotent: the second call frees nothing
    releases[0](Date.now() - 2_000);
    await jest.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(granted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([3_000 + WINDOW_MS]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(granted).toHaveLength(1);
    expect(limiter.stats().inFlight.general).toBe(10);
    limiter.close();
  });

  it('an answer given a time in the past counts from that time', async () => {
    const limiter = new PortalLimiter({ profile: { ...profile, burstMax: 1 }, share: 1, windowMarginMs: 0 });
    const release = await limiter.acquire('general');
    let granted = -1;
    void limiter.acquire('general').then(() => (granted = Date.now() - T0), () => undefined);
    await jest.advanceTimersByTimeAsync(5_000);
    release(T0 + 1_000);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(granted).toBe(11_000);
    limiter.close();
  });

  it('with send→arrival delays up to 2 s never lets a server window hold more arrivals than the share', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { arrivals, capacity } = await simulate(seed, 'response');
      expect(arrivals.length).toBeGreaterThan(100);
      expect(busiestWindow(arrivals, WINDOW_MS)).toBeLessThanOrEqual(capacity);
    }
  });

  it('the same simulation with send-time accounting does exceed the share (the check can fail)', async () => {
    const busiest: number[] = [];
    let capacity = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const run = await simulate(seed, 'send');
      capacity = run.capacity;
      busiest.push(busiestWindow(run.arrivals, WINDOW_MS));
    }
    expect(Math.max(...busiest)).toBeGreaterThan(capacity);
  });

  it('keeps the priority reserve while sweep requests are in flight', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0, priorityLanes: ['ids'], priorityReserve: 2 });
    const first = await limiter.acquire('general', { lane: 'ids' });
    first();
    let edge = 0;
    for (let i = 0; i < 12; i++) void limiter.acquire('general', { lane: 'edge' }).then(() => edge++, () => undefined);
    await flush();
    expect(edge).toBe(7); // 10 − 2 reserved − 1 taken by the first ids request, all still in flight
    let ids = 0;
    for (let i = 0; i < 3; i++) void limiter.acquire('general', { lane: 'ids' }).then(() => ids++, () => undefined);
    await flush();
    expect(ids).toBe(2);
    await jest.advanceTimersByTimeAsync(60_000);
    // Only the first (answered) slot came free, a window after its answer; the edge ones stay in flight.
    expect([edge, ids]).toEqual([7, 3]);
    limiter.close();
  });
});
