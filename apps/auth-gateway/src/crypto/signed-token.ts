import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens for values that travel through a browser (OAuth `state`, bridge links):
 * `base64url(JSON payload) "." base64url(HMAC-SHA256(secret, purpose "." payload))`. The purpose is
 * part of the MAC so a bridge token can never be replayed as a state and vice versa. Signing makes
 * tampering detectable; single use is enforced separately by a nonce in the database.
 */
export type SignedTokenFailure = 'malformed' | 'bad_signature' | 'expired';

export class SignedTokenError extends Error {
  constructor(readonly reason: SignedTokenFailure, message: string) {
    super(message);
    this.name = 'SignedTokenError';
  }
}

export interface SignedPayload {
  /** Expiry, epoch seconds. */
  exp: number;
}

export function signToken<T extends SignedPayload>(purpose: string, payload: T, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(purpose, body, secret)}`;
}

export function verifyToken<T extends SignedPayload>(purpose: string, token: string, secret: Buffer, nowMs = Date.now()): T {
  if (typeof token !== 'string' || token.length > 4096) throw new SignedTokenError('malformed', 'token is missing or too long');
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) {
    throw new SignedTokenError('malformed', 'token is not of the form payload.signature');
  }
  const expected = Buffer.from(mac(purpose, parts[0], secret), 'base64url');
  const given = Buffer.from(parts[1], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignedTokenError('bad_signature', 'token signature does not match');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    throw new SignedTokenError('malformed', 'token payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || typeof (payload as SignedPayload).exp !== 'number') {
    throw new SignedTokenError('malformed', 'token payload has no expiry');
  }
  if ((payload as SignedPayload).exp * 1000 <= nowMs) throw new SignedTokenError('expired', 'token has expired');
  return payload as T;
}

function mac(purpose: string, body: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(`${purpose}.${body}`, 'utf8').digest('base64url');
}
