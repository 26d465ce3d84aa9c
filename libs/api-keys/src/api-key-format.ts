import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys look like `hsk_<prefix8>_<secret>`: the prefix identifies a key in listings without
 * revealing it; only the SHA-256 of the whole key is stored (core.api_keys.key_hash).
 */
export const API_KEY_PATTERN = /^hsk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  apiKey: string;
  prefix: string;
  keyHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const apiKey = `hsk_${prefix}_${secret}`;
  return { apiKey, prefix, keyHash: hashApiKey(apiKey) };
}

/** The prefix of a well-formed key, or null when the text cannot be one of our keys. */
export function parseApiKeyPrefix(candidate: string): string | null {
  const match = API_KEY_PATTERN.exec(candidate);
  return match ? match[1] : null;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
