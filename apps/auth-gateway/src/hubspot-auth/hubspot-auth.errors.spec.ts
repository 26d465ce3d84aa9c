import { classifyAuthErrorResponse } from './hubspot-auth.errors';

describe('classifyAuthErrorResponse', () => {
  const json = (body: object) => JSON.stringify(body);

  it('recognises a dead refresh token in HubSpot’s and in the standard OAuth error shape', () => {
    const hubspot = classifyAuthErrorResponse({ status: 400, body: json({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }) }, 'refresh', true);
    expect(hubspot.kind).toBe('invalid_grant');
    expect(hubspot.message).toContain('BAD_REFRESH_TOKEN');
    const standard = classifyAuthErrorResponse({ status: 400, body: json({ error: 'invalid_grant', error_description: 'revoked' }) }, 'refresh', true);
    expect(standard.kind).toBe('invalid_grant');
  });

  it('does not treat a configuration error of ours as a dead grant', () => {
    const badClient = classifyAuthErrorResponse({ status: 400, body: json({ status: 'BAD_CLIENT_ID', message: 'missing or unknown client id' }) }, 'refresh', true);
    expect(badClient.kind).toBe('invalid_request');
  });

  it('marks 429 and 5xx retryable and keeps Retry-After', () => {
    const limited = classifyAuthErrorResponse({ status: 429, body: '', retryAfter: '2' }, 'refresh', true);
    expect(limited.kind).toBe('rate_limited');
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterSeconds).toBe(2);
    const down = classifyAuthErrorResponse({ status: 503, body: '<html>oops</html>' }, 'refresh', true);
    expect(down.kind).toBe('transient');
    expect(down.retryable).toBe(true);
  });

  it('answers unauthorized for a rejected token outside grant calls', () => {
    expect(classifyAuthErrorResponse({ status: 401, body: json({ message: 'invalid token' }) }, 'info', false).kind).toBe('unauthorized');
  });
});
