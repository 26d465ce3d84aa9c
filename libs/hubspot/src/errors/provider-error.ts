import { ProviderErrorKind } from '@hubsync/contracts';

/** Which HubSpot 429 policy answered (HUBSPOT-FACTS "Limits": 429 body `policyName`, search message). */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY_SEARCH' | 'UNKNOWN';

export interface ProviderErrorDetails {
  /** HTTP status, absent for network failures. */
  status?: number;
  /** HubSpot's error `category` (VALIDATION_ERROR, MISSING_SCOPES, RATE_LIMITS, …). */
  category?: string;
  policy?: RateLimitPolicy;
  /** Scopes HubSpot says are missing (403 MISSING_SCOPES). */
  requiredScopes?: string[];
  correlationId?: string;
  /** Network error code (ECONNRESET, ETIMEDOUT, …). */
  networkCode?: string;
  /** When the caller may try again (DAILY limit: midnight in the portal's time zone). */
  retryAt?: Date;
  /** What we were doing, e.g. `search contacts`. */
  operation?: string;
}

/**
 * The one error type every HubSpot call ends in (DESIGN §7): a normalised kind plus the facts the
 * state changes need. Messages never contain tokens.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: ProviderErrorDetails = {},
  ) {
    super(message);
  }

  withOperation(operation: string): ProviderError {
    if (this.details.operation) return this;
    return new ProviderError(this.kind, `${operation}: ${this.message}`, { ...this.details, operation });
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}
