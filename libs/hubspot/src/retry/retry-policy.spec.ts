import fc from 'fast-check';
import { ProviderError } from '../errors/provider-error';
import { fullJitterDelay } from './backoff';
import { RetryPolicy, RetryState } from './retry-policy';

const transient = new ProviderError('transient', 'HTTP 502', { status: 502 });

describe('full-jitter backoff', () => {
  it('draws uniformly below min(cap, base × 2^attempt)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = fullJitterDelay(attempt, 500, 30_000, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(30_000, 500 * 2 ** attempt));
      }),
    );
    expect(fullJitterDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, 500, 30_000, () => 0.5)).toBe(2_000);
    expect(fullJitterDelay(10, 500, 30_000, () => 0.5)).toBe(15_000);
  });
});

describe('RetryPolicy', () => {
  const policy = new RetryPolicy({ maxTransientAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRateLimitRetries: 3, random: () => 0.5 });

  const run = (errors: ProviderError[]) => {
    let state: RetryState = RetryPolicy.initialState();
    const decisions = [];
    for (const e of errors) {
      const d = policy.decide(e, state);
      decisions.push(d);
      state = RetryPolicy.record(state, d);
      if (d.action === 'fail') break;
    }
    return decisions;
  };

  it('backs off 5xx, 423, timeouts and resets exponentially, then fails after the bound', () => {
    const decisions = run([transient, transient, transient, transient, transient]);
    expect(decisions.map((d) => d.action)).toEqual(['retry', 'retry', 'retry', 'fail']);
    expect(decisions.slice(0, 3).map((d) => (d.action === 'retry' ? d.delayMs : -1))).toEqual([50, 100, 200]);
  });

  it('waits for the limiter on burst and search 429s, bounded; DAILY fails the call at once', () => {
    const burst = new ProviderError('rate_limited', '429', { status: 429, policy: 'TEN_SECONDLY_ROLLING' });
    const search = new ProviderError('rate_limited', '429', { status: 429, policy: 'SECONDLY_SEARCH' });
    const daily = new ProviderError('rate_limited', '429', { status: 429, policy: 'DAILY' });
    expect(run([burst, search, burst, burst]).map((d) => d.action)).toEqual(['wait_for_limiter', 'wait_for_limiter', 'wait_for_limiter', 'fail']);
    expect(run([daily]).map((d) => d.action)).toEqual(['fail']);
  });

  it('refreshes the token once on 401, then fails', () => {
    const unauthorized = new ProviderError('unauthorized', '401', { status: 401 });
    expect(run([unauthorized, unauthorized]).map((d) => d.action)).toEqual(['refresh_token', 'fail']);
  });

  it('does not retry scope, not-found or invalid requests', () => {
    for (const kind of ['forbidden_scope', 'not_found', 'invalid_request'] as const) {
      expect(run([new ProviderError(kind, kind)]).map((d) => d.action)).toEqual(['fail']);
    }
  });
});
