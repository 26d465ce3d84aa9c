import { randomBytes } from 'node:crypto';
import { signToken, SignedTokenError, verifyToken } from './signed-token';

describe('signed tokens', () => {
  const secret = randomBytes(32);
  const now = Date.parse('2025-01-01T00:00:00Z');
  const payload = { n: 'nonce-1', o: 'org-1', u: 'user-1', exp: now / 1000 + 600 };

  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as SignedTokenError).reason;
    }
    return 'accepted';
  };

  it('verifies what it signed and returns the payload', () => {
    const token = signToken('state', payload, secret);
    expect(verifyToken('state', token, secret, now)).toEqual(payload);
  });

  it('rejects a tampered payload', () => {
    const token = signToken('state', payload, secret);
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, o: 'org-2' })).toString('base64url');
    expect(reasonOf(() => verifyToken('state', `${forged}.${sig}`, secret, now))).toBe('bad_signature');
  });

  it('rejects a tampered signature', () => {
    const token = signToken('state', payload, secret);
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(reasonOf(() => verifyToken('state', flipped, secret, now))).toBe('bad_signature');
  });

  it('rejects another secret and another purpose', () => {
    const token = signToken('state', payload, secret);
    expect(reasonOf(() => verifyToken('state', token, randomBytes(32), now))).toBe('bad_signature');
    expect(reasonOf(() => verifyToken('bridge', token, secret, now))).toBe('bad_signature');
  });

  it('rejects an expired token', () => {
    const token = signToken('state', payload, secret);
    expect(reasonOf(() => verifyToken('state', token, secret, now + 600_000))).toBe('expired');
    expect(reasonOf(() => verifyToken('state', token, secret, now + 599_000))).toBe('accepted');
  });

  it('rejects malformed input', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'a b.c', `${'x'.repeat(5000)}.y`]) {
      expect(reasonOf(() => verifyToken('state', bad, secret, now))).toBe('malformed');
    }
    const noExp = signToken('state', { n: 1 } as never, secret);
    expect(reasonOf(() => verifyToken('state', noExp, secret, now))).toBe('malformed');
  });
});
