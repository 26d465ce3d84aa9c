import { HubSpotAuthError } from './hubspot-auth.errors';
import { withBackoff } from './with-backoff';

describe('withBackoff', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('retries rate limits and transient failures, then returns the result', async () => {
    const sleeps: number[] = [];
    const errors = [new HubSpotAuthError('rate_limited', '429', 429), new HubSpotAuthError('transient', '503', 503)];
    const result = await withBackoff(policy, async () => {
      const next = errors.shift();
      if (next) throw next;
      return 'ok';
    }, async (ms) => void sleeps.push(ms));
    expect(result).toBe('ok');
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      withBackoff(policy, async () => {
        calls++;
        throw new HubSpotAuthError('transient', `attempt ${calls}`, 502);
      }, async () => undefined),
    ).rejects.toThrow('attempt 4');
    expect(calls).toBe(4);
  });

  it('does not retry a dead grant or a bad request', async () => {
    for (const kind of ['invalid_grant', 'invalid_request', 'unauthorized'] as const) {
      let calls = 0;
      await expect(
        withBackoff(policy, async () => {
          calls++;
          throw new HubSpotAuthError(kind, kind);
        }, async () => undefined),
      ).rejects.toThrow(kind);
      expect(calls).toBe(1);
    }
  });

  it('waits at least the Retry-After HubSpot sent, capped by maxDelayMs', async () => {
    const sleeps: number[] = [];
    let first = true;
    await withBackoff(policy, async () => {
      if (first) {
        first = false;
        throw new HubSpotAuthError('rate_limited', '429', 429, 0.5);
      }
      return 1;
    }, async (ms) => void sleeps.push(ms));
    expect(sleeps[0]).toBeGreaterThanOrEqual(500);
  });
});
