import { PortalLimiter } from './portal-limiter';
import { rateLimitProfile } from './rate-limit-profile';

import { answered, flush, T0 } from '../../test/limiter-fakes';

describe('PortalLimiter priority lanes', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  // burstMax 20 at share 0.5 → 10 slots per 10 s window.
  const profile = { ...rateLimitProfile('public'), burstMax: 20 };

  it('grants a waiting priority request the next free slot ahead of queued sweep pages', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0, priorityLanes: ['ids'] });
    const order: string[] = [];
    for (let i = 0; i < 15; i++) void limiter.acquire('general', { lane: 'lag' }).then(answered(() => order.push(`lag${i}`)), () => undefined);
    await flush();
    expect(order).toHaveLength(10);
    void limiter.acquire('general', { lane: 'ids' }).then(answered(() => order.push('ids')), () => undefined);
    await flush();
    expect(order).toHaveLength(10); // still inside the share: the window is full
    await jest.advanceTimersByTimeAsync(10_000);
    expect(order[10]).toBe('ids');
    expect(order.length).toBeLessThanOrEqual(20);
    limiter.close();
  });

  it('while priority lanes are in use, keeps the reserve free of weighted lanes so a priority request waits for no window', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0, priorityLanes: ['ids'], priorityReserve: 2 });
    const granted: string[] = [];
    void limiter.acquire('general', { lane: 'ids' }).then(answered(() => granted.push('ids')), () => undefined);
    for (let i = 0; i < 12; i++) void limiter.acquire('general', { lane: 'edge' }).then(answered(() => granted.push('edge')), () => undefined);
    await flush();
    expect(granted).toEqual(['ids', ...Array(7).fill('edge')]); // 10 − 2 reserved
    for (let i = 0; i < 3; i++) void limiter.acquire('general', { lane: 'ids' }).then(answered(() => granted.push('ids')), () => undefined);
    await flush();
    // The two reserved slots go at once; the third waits like everyone (the share holds: 10 per window).
    expect(granted.slice(8)).toEqual(['ids', 'ids']);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(granted[10]).toBe('ids');
    limiter.close();
  });

  it('releases the reserve to sweeps when no priority request came for the hold time', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0, priorityLanes: ['ids'], priorityReserve: 2, priorityReserveHoldMs: 30_000 });
    let ids = 0;
    let edge = 0;
    void limiter.acquire('general', { lane: 'ids' }).then(answered(() => ids++), () => undefined);
    await flush();
    await jest.advanceTimersByTimeAsync(31_000);
    for (let i = 0; i < 12; i++) void limiter.acquire('general', { lane: 'edge' }).then(answered(() => edge++), () => undefined);
    await flush();
    expect([ids, edge]).toEqual([1, 10]);
    limiter.close();
  });

  it('without priority lanes a reserve changes nothing', async () => {
    const limiter = new PortalLimiter({ profile, share: 0.5, windowMarginMs: 0, priorityReserve: 3 });
    let granted = 0;
    for (let i = 0; i < 12; i++) void limiter.acquire('general', { lane: 'edge' }).then(answered(() => granted++), () => undefined);
    await flush();
    expect(granted).toBe(10);
    limiter.close();
  });
});
