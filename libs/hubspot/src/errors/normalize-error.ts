import { ProviderError, RateLimitPolicy } from './provider-error';

/** A failed attempt as the transport saw it, before classification. */
export type CallFailure =
  | { type: 'http'; status: number; headers: Record<string, string>; body: unknown }
  | { type: 'network'; code?: string; message: string };

/** The status line the SDK middleware captured for this attempt (the SDK loses it on non-JSON bodies). */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
}

// Search throttling answers 429 with this message and no policyName
// (HUBSPOT-FACTS "Limits"; @hubspot/api-client src/services/decorators/RetryDecorator.ts `secondlyLimitMessage`).
const SECONDLY_LIMIT_MESSAGE = 'You have reached your secondly limit.';

/**
 * Turns whatever an SDK call threw into a `CallFailure`:
 * - `ApiException` (has numeric `code`, `body`, `headers`) → http failure;
 * - anything else after a response was captured (the SDK throws a plain Error when an error body is
 *   not JSON, e.g. an HTML 502 from a proxy) → http failure with the captured status;
 * - otherwise a network failure (reset, refused, our socket timeout).
 */
export function failureFromThrown(error: unknown, captured?: CapturedResponse): CallFailure {
  const e = error as { code?: unknown; body?: unknown; headers?: unknown; message?: unknown; type?: unknown; errno?: unknown };
  if (e && typeof e.code === 'number' && e.code >= 100 && e.code < 600) {
    return { type: 'http', status: e.code, headers: lowerCaseHeaders(e.headers), body: e.body };
  }
  if (captured) {
    return { type: 'http', status: captured.status, headers: lowerCaseHeaders(captured.headers), body: messageOf(error) };
  }
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : undefined;
  return { type: 'network', code, message: messageOf(error) };
}

/** Classifies a failure into DESIGN §7's kinds (`ProviderErrorKind`). */
export function normalizeFailure(failure: CallFailure): ProviderError {
  if (failure.type === 'network') {
    return new ProviderError('transient', `network error${failure.code ? ` ${failure.code}` : ''}: ${failure.message}`, {
      networkCode: failure.code,
    });
  }
  const { status } = failure;
  const body = asRecord(failure.body);
  const message = typeof body?.['message'] === 'string' ? (body['message'] as string) : typeof failure.body === 'string' ? failure.body.slice(0, 300) : '';
  const category = typeof body?.['category'] === 'string' ? (body['category'] as string) : undefined;
  const correlationId = typeof body?.['correlationId'] === 'string' ? (body['correlationId'] as string) : undefined;
  const base = { status, category, correlationId };
  const describe = (what: string) => `HTTP ${status} ${what}${message ? `: ${message}` : ''}`;

  if (status === 429) {
    const policy = rateLimitPolicyOf(body, message);
    return new ProviderError('rate_limited', describe(`rate limited (${policy})`), { ...base, policy });
  }
  if (status === 401) return new ProviderError('unauthorized', describe('unauthorized'), base);
  if (status === 403) {
    const requiredScopes = requiredScopesOf(body);
    const scopeText = requiredScopes.length ? ` (missing scope ${requiredScopes.join(' or ')})` : '';
    return new ProviderError('forbidden_scope', `${describe('forbidden')}${scopeText}`, { ...base, requiredScopes });
  }
  if (status === 404) return new ProviderError('not_found', describe('not found'), base);
  // 423 Locked, 408, 5xx and an unreadable 2xx body (truncated by a reset) are worth retrying.
  if (status >= 500 || status === 423 || status === 408 || (status >= 200 && status < 300)) {
    return new ProviderError('transient', describe(status < 300 ? 'unreadable response' : 'server error'), base);
  }
  return new ProviderError('invalid_request', describe('rejected'), base);
}

function rateLimitPolicyOf(body: Record<string, unknown> | undefined, message: string): RateLimitPolicy {
  const policyName = body?.['policyName'];
  if (policyName === 'TEN_SECONDLY_ROLLING') return 'TEN_SECONDLY_ROLLING';
  if (policyName === 'DAILY') return 'DAILY';
  if (message === SECONDLY_LIMIT_MESSAGE || /secondly limit/i.test(message)) return 'SECONDLY_SEARCH';
  return 'UNKNOWN';
}

/**
 * HubSpot names the scopes a 403 MISSING_SCOPES needs in `errors[].context.requiredGranularScopes`
 * (or `requiredScopes`), sometimes only in `context` at the top level.
 */
function requiredScopesOf(body: Record<string, unknown> | undefined): string[] {
  if (!body) return [];
  const found = new Set<string>();
  const collect = (context: unknown) => {
    const c = asRecord(context);
    if (!c) return;
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'scopes']) {
      const v = c[key];
      if (Array.isArray(v)) v.filter((s) => typeof s === 'string').forEach((s) => found.add(s as string));
    }
  };
  collect(body['context']);
  const errors = body['errors'];
  if (Array.isArray(errors)) errors.forEach((e) => collect(asRecord(e)?.['context']));
  return [...found];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const h = asRecord(headers);
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}
