import { failureFromThrown, normalizeFailure } from './normalize-error';

const http = (status: number, body: unknown, headers: Record<string, string> = {}) => normalizeFailure({ type: 'http', status, body, headers });

describe('normalizeFailure', () => {
  it('names the 429 policy: TEN_SECONDLY_ROLLING, DAILY, the search secondly limit', () => {
    const body = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' };
    expect(http(429, body).details).toMatchObject({ policy: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' });
    expect(http(429, { ...body, policyName: 'DAILY' }).details.policy).toBe('DAILY');
    expect(http(429, { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' }).details.policy).toBe('SECONDLY_SEARCH');
    expect(http(429, '<html>busy</html>').details.policy).toBe('UNKNOWN');
    expect(http(429, body).kind).toBe('rate_limited');
  });

  it('turns 403 MISSING_SCOPES into forbidden_scope naming the scopes', () => {
    const error = http(403, {
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call.",
      category: 'MISSING_SCOPES',
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.read'] } }],
    });
    expect(error.kind).toBe('forbidden_scope');
    expect(error.details.requiredScopes).toEqual(['crm.objects.deals.read']);
    expect(error.message).toContain('crm.objects.deals.read');
  });

  it('classifies the rest', () => {
    expect(http(401, { message: 'expired' }).kind).toBe('unauthorized');
    expect(http(404, { category: 'OBJECT_NOT_FOUND' }).kind).toBe('not_found');
    for (const s of [500, 502, 503, 504, 423, 408]) expect(http(s, {}).kind).toBe('transient');
    for (const s of [400, 409, 414, 422]) expect(http(s, {}).kind).toBe('invalid_request');
    expect(normalizeFailure({ type: 'network', code: 'ECONNRESET', message: 'socket hang up' }).kind).toBe('transient');
  });
});

describe('failureFromThrown', () => {
  it('reads status, body and headers from an SDK ApiException', () => {
    const apiException = Object.assign(new Error('HTTP-Code: 429'), { code: 429, body: { policyName: 'DAILY' }, headers: { 'X-HubSpot-RateLimit-Max': '110' } });
    expect(failureFromThrown(apiException)).toEqual({ type: 'http', status: 429, body: { policyName: 'DAILY' }, headers: { 'x-hubspot-ratelimit-max': '110' } });
  });

  it('keeps the captured status when the SDK choked on a non-JSON error body', () => {
    const parseError = new Error('The mediaType text/html is not supported by ObjectSerializer.parse.');
    const failure = failureFromThrown(parseError, { status: 502, headers: { 'Content-Type': 'text/html' } });
    expect(failure).toMatchObject({ type: 'http', status: 502 });
    expect(normalizeFailure(failure).kind).toBe('transient');
  });

  it('treats node-fetch system errors as network failures with their code', () => {
    const fetchError = Object.assign(new Error('request to http://x failed, reason: socket hang up'), { type: 'system', code: 'ECONNRESET', errno: 'ECONNRESET' });
    expect(failureFromThrown(fetchError)).toEqual({ type: 'network', code: 'ECONNRESET', message: fetchError.message });
  });
});
