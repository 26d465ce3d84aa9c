import { SlidingWindowCounter } from './sliding-window-counter';

describe('SlidingWindowCounter', () => {
  const t0 = 1_700_000_000_000;

  it('counts requests inside the window and forgets those older than it', () => {
    const c = new SlidingWindowCounter(60_000);
    for (let i = 0; i < 5; i++) c.add('k', t0 + i * 1_000);
    expect(c.count('k', t0 + 4_000)).toBe(5);
    expect(c.count('other', t0 + 4_000)).toBe(0);
    // The first request (second 0) leaves the window once 60 s have passed.
    expect(c.count('k', t0 + 60_000)).toBe(4);
    expect(c.count('k', t0 + 64_000)).toBe(0);
  });

  it('reuses a bucket slot after a full window without carrying the old count', () => {
    const c = new SlidingWindowCounter(10_000);
    for (let i = 0; i < 3; i++) c.add('k', t0);
    c.add('k', t0 + 10_000);
    expect(c.count('k', t0 + 10_000)).toBe(1);
  });

  it('answers how long until the oldest counted request leaves the window', () => {
    const c = new SlidingWindowCounter(60_000);
    c.add('k', t0 + 200);
    c.add('k', t0 + 30_000);
    expect(c.msUntilOldestExpires('k', t0 + 1_000)).toBe(59_000);
    expect(c.msUntilOldestExpires('k', t0 + 61_000)).toBe(29_000);
    expect(c.msUntilOldestExpires('none', t0)).toBe(0);
  });

  it('keeps memory per key bounded however many requests arrive, and sweeps idle keys', () => {
    const c = new SlidingWindowCounter(60_000);
    for (let i = 0; i < 100_000; i++) c.add('busy', t0 + 10_000 + Math.floor(i / 2));
    c.add('idle', t0);
    expect(c.count('busy', t0 + 59_999)).toBe(100_000);
    expect(c.size).toBe(2);
    c.sweep(t0 + 59_999);
    expect(c.size).toBe(2);
    c.sweep(t0 + 60_000);
    expect(c.size).toBe(1);
    c.sweep(t0 + 200_000);
    expect(c.size).toBe(0);
  });

  it('rejects a window that is not a whole number of buckets', () => {
    expect(() => new SlidingWindowCounter(1_500)).toThrow(/multiple/);
  });
});
