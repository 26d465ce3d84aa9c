import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot webhook signature v3 (HUBSPOT-FACTS.md "Webhooks"; developers.hubspot.com "Validating
 * requests from HubSpot"): base64(HMAC-SHA256(client secret, method + URI + body + timestamp)),
 * sent as `X-HubSpot-Signature-v3` with `X-HubSpot-Request-Timestamp` (ms). Requests whose timestamp
 * is older than 5 minutes must be rejected. The SDK's `Signature.isValid` compares with `===`; this
 * compares in constant time.
 */
export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
export const MAX_TIMESTAMP_AGE_MS = 5 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called: scheme, host, path and query. */
  url: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

export function computeSignatureV3(clientSecret: string, method: string, url: string, rawBody: string, timestamp: string): string {
  return createHmac('sha256', clientSecret).update(`${method}${url}${rawBody}${timestamp}`, 'utf8').digest('base64');
}

export function verifySignatureV3(request: SignedRequest, clientSecret: string, now: number, maxAgeMs = MAX_TIMESTAMP_AGE_MS): SignatureVerdict {
  if (!request.signature) return { valid: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (!request.timestamp || !/^\d{10,16}$/.test(request.timestamp)) return { valid: false, reason: `missing or malformed ${TIMESTAMP_HEADER} header` };
  const timestamp = Number(request.timestamp);
  // Older than the window is a replay; far in the future is a forged or broken clock.
  if (now - timestamp > maxAgeMs) return { valid: false, reason: 'request timestamp is older than 5 minutes' };
  if (timestamp - now > maxAgeMs) return { valid: false, reason: 'request timestamp is in the future' };
  const expected = Buffer.from(computeSignatureV3(clientSecret, request.method.toUpperCase(), request.url, request.rawBody, request.timestamp), 'utf8');
  const given = Buffer.from(request.signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'signature does not match' };
  return { valid: true };
}
