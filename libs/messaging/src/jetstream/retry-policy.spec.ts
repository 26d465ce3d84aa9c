import { decideOnFailure, isFinalAttempt, retryDelayMs, serverMaxDeliver } from './retry-policy';

describe('retryDelayMs', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles per delivery from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, backoff))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('never overflows for huge delivery counts', () => {
    expect(retryDelayMs(10_000, backoff)).toBe(1_000);
  });

  it('treats a zero or negative delivery count like the first delivery', () => {
    expect(retryDelayMs(0, backoff)).toBe(100);
  });

  it('spreads by the jitter ratio around the base and stays within [0, max]', () => {
    expect(retryDelayMs(2, backoff, 0.5, () => 0)).toBe(100); // 200 - 50 %
    expect(retryDelayMs(2, backoff, 0.5, () => 1)).toBe(300); // 200 + 50 %
    expect(retryDelayMs(5, backoff, 0.5, () => 1)).toBe(1_000); // capped
  });
});

describe('failure decision', () => {
  const backoff = { initialDelayMs: 50, maxDelayMs: 500 };

  it('retries with a growing delay before the final attempt', () => {
    expect(decideOnFailure({ deliveryCount: 1, maxDeliver: 3, permanent: false, backoff })).toEqual({ action: 'retry', delayMs: 50 });
    expect(decideOnFailure({ deliveryCount: 2, maxDeliver: 3, permanent: false, backoff })).toEqual({ action: 'retry', delayMs: 100 });
  });

  it('dead-letters on the final allowed delivery', () => {
    expect(decideOnFailure({ deliveryCount: 3, maxDeliver: 3, permanent: false, backoff })).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters deliveries beyond maxDeliver (the server keeps spare ones)', () => {
    expect(decideOnFailure({ deliveryCount: 4, maxDeliver: 3, permanent: false, backoff })).toEqual({ action: 'dead-letter' });
    expect(serverMaxDeliver(3)).toBeGreaterThan(3);
  });

  it('dead-letters permanent errors on the first delivery', () => {
    expect(decideOnFailure({ deliveryCount: 1, maxDeliver: 10, permanent: true, backoff })).toEqual({ action: 'dead-letter' });
  });

  it('knows the final attempt', () => {
    expect(isFinalAttempt(9, 10)).toBe(false);
    expect(isFinalAttempt(10, 10)).toBe(true);
    expect(isFinalAttempt(1, 1)).toBe(true);
  });
});
