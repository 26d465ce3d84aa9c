import { createHmac } from 'node:crypto';
import { computeSignatureV3, verifySignatureV3 } from './webhook-signature';

const secret = 'client-secret-123';
const url = 'https://sync.example.com/api/integrations/hubspot/webhooks';
const body = JSON.stringify([{ eventId: 1, portalId: 62515, subscriptionType: 'contact.creation', objectId: 123 }]);
const now = 1_750_000_000_000;
const timestamp = String(now - 1000);

function signed(overrides: Partial<Parameters<typeof verifySignatureV3>[0]> = {}) {
  return { method: 'POST', url, rawBody: body, timestamp, signature: computeSignatureV3(secret, 'POST', url, body, timestamp), ...overrides };
}

describe('HubSpot signature v3', () => {
  it('matches an independently computed HMAC-SHA256 over method + url + body + timestamp', () => {
    const expected = createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
    expect(computeSignatureV3(secret, 'POST', url, body, timestamp)).toBe(expected);
  });

  it('accepts a correctly signed request', () => {
    expect(verifySignatureV3(signed(), secret, now)).toEqual({ valid: true });
  });

  it('rejects a modified body, another URL, another secret or another method', () => {
    expect(verifySignatureV3(signed({ rawBody: body.replace('123', '124') }), secret, now).valid).toBe(false);
    expect(verifySignatureV3(signed({ url: url + '?x=1' }), secret, now).valid).toBe(false);
    expect(verifySignatureV3(signed(), 'other-secret', now).valid).toBe(false);
    expect(verifySignatureV3(signed({ method: 'PUT' }), secret, now).valid).toBe(false);
  });

  it('rejects a timestamp older than 5 minutes even when the signature matches', () => {
    const old = String(now - 5 * 60 * 1000 - 1);
    const request = signed({ timestamp: old, signature: computeSignatureV3(secret, 'POST', url, body, old) });
    expect(verifySignatureV3(request, secret, now)).toEqual({ valid: false, reason: expect.stringMatching(/older than 5 minutes/) });
    const edge = String(now - 5 * 60 * 1000);
    expect(verifySignatureV3(signed({ timestamp: edge, signature: computeSignatureV3(secret, 'POST', url, body, edge) }), secret, now).valid).toBe(true);
  });

  it('rejects missing or malformed headers and a signature of the wrong length', () => {
    expect(verifySignatureV3(signed({ signature: undefined }), secret, now).valid).toBe(false);
    expect(verifySignatureV3(signed({ timestamp: undefined }), secret, now).valid).toBe(false);
    expect(verifySignatureV3(signed({ timestamp: 'yesterday' }), secret, now).valid).toBe(false);
    expect(verifySignatureV3(signed({ signature: 'abc' }), secret, now).valid).toBe(false);
    const future = String(now + 10 * 60 * 1000);
    expect(verifySignatureV3(signed({ timestamp: future, signature: computeSignatureV3(secret, 'POST', url, body, future) }), secret, now).valid).toBe(false);
  });
});
