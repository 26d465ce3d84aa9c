/**
 * What went wrong talking to HubSpot's auth endpoints, normalised once:
 * - invalid_grant: the code or refresh token is dead (revoked, uninstalled, already used) — only a new
 *   authorization fixes it;
 * - unauthorized: the token we asked about is not (or no longer) valid;
 * - rate_limited / transient: worth retrying with backoff (429, 5xx, network, timeout);
 * - invalid_request: our request or configuration is wrong (bad client id/secret, redirect URI…).
 */
export type HubSpotAuthErrorKind = 'invalid_grant' | 'unauthorized' | 'rate_limited' | 'transient' | 'invalid_request';

export class HubSpotAuthError extends Error {
  constructor(
    readonly kind: HubSpotAuthErrorKind,
    message: string,
    readonly httpStatus?: number,
    /** Seconds HubSpot asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HubSpotAuthError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

// HubSpot answers a dead refresh token or auth code with 400 and `status: BAD_REFRESH_TOKEN` /
// `BAD_AUTH_CODE` / `EXPIRED_AUTH_CODE` ("missing or invalid refresh token"); the standardised OAuth
// error body carries `error: invalid_grant` (RFC 6749 §5.2). Both are recognised. Sources: HubSpot
// OAuth docs (developers.hubspot.com/docs/api/oauth/tokens), hubspot-api-nodejs issues where SDK
// users match the message text because the SDK's error model drops `status`.
const DEAD_GRANT_STATUSES = ['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'EXPIRED_AUTH_CODE', 'INVALID_GRANT', 'REVOKED_REFRESH_TOKEN'];
const DEAD_GRANT_TEXT = /invalid_grant|invalid refresh token|refresh token (was |has been )?(revoked|expired|not found)|invalid (auth(orization)? )?code|code (was |has been )?(already )?used|expired code/i;

export interface RawErrorResponse {
  status: number;
  body: string;
  retryAfter?: string | null;
}

/** Classifies an HTTP error answer of a HubSpot OAuth endpoint. `grantCall` = token exchange/refresh. */
export function classifyAuthErrorResponse(response: RawErrorResponse, what: string, grantCall: boolean): HubSpotAuthError {
  const parsed = parseJson(response.body);
  const status = stringField(parsed, 'status') ?? '';
  const error = stringField(parsed, 'error') ?? '';
  const message = stringField(parsed, 'message') ?? stringField(parsed, 'error_description') ?? '';
  const detail = [status, error, message].filter((s) => s && s !== 'error').join(': ') || `HTTP ${response.status}`;
  const retryAfter = parseRetryAfter(response.retryAfter);
  if (response.status === 429) return new HubSpotAuthError('rate_limited', `${what}: rate limited by HubSpot (${detail})`, 429, retryAfter);
  if (response.status >= 500) return new HubSpotAuthError('transient', `${what}: HubSpot answered ${response.status} (${detail})`, response.status, retryAfter);
  if (grantCall && (response.status === 400 || response.status === 401)) {
    const dead = DEAD_GRANT_STATUSES.includes(status.toUpperCase()) || error.toLowerCase() === 'invalid_grant' || DEAD_GRANT_TEXT.test(message);
    if (dead) return new HubSpotAuthError('invalid_grant', `${what}: ${detail}`, response.status);
  }
  if (response.status === 401 || response.status === 404) return new HubSpotAuthError('unauthorized', `${what}: ${detail}`, response.status);
  return new HubSpotAuthError('invalid_request', `${what}: HubSpot answered ${response.status} (${detail})`, response.status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field.slice(0, 300) : undefined;
}

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
