import { ProviderError } from '../errors/provider-error';
import { fullJitterDelay } from './backoff';

export interface RetryPolicyOptions {
  /** Attempts for transient failures (5xx, 423, timeouts, resets) before the call fails. */
  maxTransientAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** 429 retries of one call (burst and search throttles) before it fails. */
  maxRateLimitRetries?: number;
  random?: () => number;
}

/** How many times each kind of trouble has happened to one logical call so far. */
export interface RetryState {
  transientFailures: number;
  rateLimitRetries: number;
  tokenRefreshed: boolean;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  /** A 429: the limiter closes the bucket (window, 1 s or until midnight); retry after it opens. */
  | { action: 'wait_for_limiter'; reason: string }
  /** 401: invalidate the token once (auth.token.invalidate), fetch a new one, retry. */
  | { action: 'refresh_token'; reason: string }
  | { action: 'fail'; reason: string };

/**
 * The portal retry policy (issue 5 §3): 429 TEN_SECONDLY_ROLLING waits for the window, the search
 * throttle waits 1 s, DAILY fails the call (the limiter pauses the portal until midnight); 5xx, 423,
 * timeouts and resets back off exponentially with full jitter, bounded; 401 refreshes once; every
 * other kind fails at once.
 */
export class RetryPolicy {
  readonly maxTransientAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRateLimitRetries: number;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxTransientAttempts = options.maxTransientAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 10;
    this.random = options.random ?? Math.random;
  }

  static initialState(): RetryState {
    return { transientFailures: 0, rateLimitRetries: 0, tokenRefreshed: false };
  }

  decide(error: ProviderError, state: RetryState): RetryDecision {
    switch (error.kind) {
      case 'transient': {
        const failures = state.transientFailures + 1;
        if (failures >= this.maxTransientAttempts) return { action: 'fail', reason: `transient failure ${failures} of ${this.maxTransientAttempts}` };
        return { action: 'retry', delayMs: fullJitterDelay(failures - 1, this.baseDelayMs, this.maxDelayMs, this.random), reason: 'transient' };
      }
      case 'rate_limited': {
        if (error.details.policy === 'DAILY') return { action: 'fail', reason: 'daily limit reached' };
        if (state.rateLimitRetries + 1 > this.maxRateLimitRetries) return { action: 'fail', reason: 'too many 429 answers' };
        return { action: 'wait_for_limiter', reason: `429 ${error.details.policy ?? 'UNKNOWN'}` };
      }
      case 'unauthorized':
        return state.tokenRefreshed ? { action: 'fail', reason: '401 after a refreshed token' } : { action: 'refresh_token', reason: '401' };
      default:
        return { action: 'fail', reason: error.kind };
    }
  }

  /** Applies a decision's bookkeeping to the state. */
  static record(state: RetryState, decision: RetryDecision): RetryState {
    if (decision.action === 'retry') return { ...state, transientFailures: state.transientFailures + 1 };
    if (decision.action === 'wait_for_limiter') return { ...state, rateLimitRetries: state.rateLimitRetries + 1 };
    if (decision.action === 'refresh_token') return { ...state, tokenRefreshed: true };
    return state;
  }
}
