import { API_KEY_PATTERN, generateApiKey, hashApiKey, parseApiKeyPrefix } from './api-key-format';

describe('api key format', () => {
  it('generates hsk_<prefix8>_<secret> keys whose hash is the sha256 of the whole key', () => {
    const key = generateApiKey();
    expect(key.apiKey).toMatch(API_KEY_PATTERN);
    expect(key.apiKey.startsWith(`hsk_${key.prefix}_`)).toBe(true);
    expect(key.keyHash).toBe(hashApiKey(key.apiKey));
    expect(key.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().apiKey));
    expect(keys.size).toBe(200);
  });

  it('parses the prefix of well-formed keys only', () => {
    const key = generateApiKey();
    expect(parseApiKeyPrefix(key.apiKey)).toBe(key.prefix);
    expect(parseApiKeyPrefix('')).toBeNull();
    expect(parseApiKeyPrefix('hsk_short_x')).toBeNull();
    expect(parseApiKeyPrefix(key.apiKey + 'x')).toBeNull();
    expect(parseApiKeyPrefix(key.apiKey.replace('hsk_', 'sk_'))).toBeNull();
  });
});
