import { HubSpotAuthError } from './hubspot-auth.errors';

export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or `maxAttempts` are used.
 * 429 and 5xx/network failures of HubSpot's token endpoint are retried (issue 4 item 6) with
 * exponential backoff and full jitter, never sooner than a Retry-After HubSpot sent.
 */
export async function withBackoff<T>(policy: BackoffPolicy, attempt: (n: number) => Promise<T>, sleep = defaultSleep): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const retryable = error instanceof HubSpotAuthError && error.retryable;
      if (!retryable || n >= policy.maxAttempts) throw error;
      const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      const jittered = exponential / 2 + Math.random() * (exponential / 2);
      const floor = (error.retryAfterSeconds ?? 0) * 1000;
      await sleep(Math.min(policy.maxDelayMs, Math.max(jittered, floor)));
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
