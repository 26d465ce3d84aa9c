/**
 * Secret scrubbing for log lines. It runs on the final JSON text (pino's `streamWrite` hook), so it
 * catches secrets at any depth and inside messages, not only at the paths pino's `redact` knows.
 */
export const REDACTED = '[Redacted]';

/** JSON keys whose string values are secrets: anything ending in token/secret/password/api key… */
const SENSITIVE_KEY_VALUE =
  /"([A-Za-z0-9_.-]*?(?:token|tokens|secret|password|passwd|authorization|api[_-]?key|apikey|cookie|encryption[_-]?key|private[_-]?key))"(\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** Credentials that may appear inside free text (error messages, URLs, form bodies). */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // Authorization header values: "Bearer <token>", "Basic <credentials>".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // Our API keys: hsk_<prefix8>_<secret>; the prefix is not secret and helps support.
  [/\b(hsk_[A-Za-z0-9]{8}_)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  // HubSpot private-app tokens (pat-<region>-<uuid>).
  [/\bpat-[a-z]{2,3}\d?-[0-9a-f-]{20,}/gi, REDACTED],
  // Credentials inside connection URLs: postgres://user:password@host, nats://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"]+:)[^@/\s"]+@/gi, `$1${REDACTED}@`],
  // Query strings and form bodies: OAuth codes, tokens, client secrets, legacy hapikey.
  [/\b(code|access_token|refresh_token|client_secret|token|api_key|hapikey|password)=([^&"\s\\]+)/gi, `$1=${REDACTED}`],
];

/** Scrubs one serialized log line (or any text). */
export function redactSecrets(text: string): string {
  let out = text.replace(SENSITIVE_KEY_VALUE, `"$1"$2"${REDACTED}"`);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Paths pino removes before serializing (non-string values under well-known secret keys). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-sandbox-admin-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'token',
  'tokens',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'password',
  'secret',
  '*.token',
  '*.tokens',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.secret',
];
