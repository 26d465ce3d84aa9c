import { RetryBackoff } from '@hubsync/contracts';

export const DEFAULT_BACKOFF: RetryBackoff = { initialDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * Deliveries the server allows beyond the consumer's logical `maxDeliver`. The dead-letter decision
 * is ours (the server stops at `max_deliver` silently), so the server keeps a little headroom: when
 * writing the dead letter fails, or the process dies during the final attempt, the message comes
 * back instead of vanishing.
 */
export const SPARE_SERVER_DELIVERIES = 2;

export function serverMaxDeliver(maxDeliver: number): number {
  return maxDeliver + SPARE_SERVER_DELIVERIES;
}

/**
 * nak delay before delivery `deliveryCount + 1`: initialDelayMs doubled per delivery so far, capped at
 * maxDelayMs, then spread by ±jitterRatio so many messages failing together do not return together.
 */
export function retryDelayMs(
  deliveryCount: number,
  backoff: RetryBackoff,
  jitterRatio = 0,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30));
  const base = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** exponent);
  if (jitterRatio <= 0) return Math.round(base);
  const spread = base * jitterRatio * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(backoff.maxDelayMs, base + spread)));
}

/** The attempt whose failure is final: JetStream's delivery count starts at 1. */
export function isFinalAttempt(deliveryCount: number, maxDeliver: number): boolean {
  return deliveryCount >= maxDeliver;
}

export type FailureDecision = { action: 'retry'; delayMs: number } | { action: 'dead-letter' };

/** What to do with a message whose handler failed on delivery `deliveryCount`. */
export function decideOnFailure(input: {
  deliveryCount: number;
  maxDeliver: number;
  permanent: boolean;
  backoff: RetryBackoff;
  jitterRatio?: number;
  random?: () => number;
}): FailureDecision {
  if (input.permanent || isFinalAttempt(input.deliveryCount, input.maxDeliver)) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: retryDelayMs(input.deliveryCount, input.backoff, input.jitterRatio, input.random) };
}
