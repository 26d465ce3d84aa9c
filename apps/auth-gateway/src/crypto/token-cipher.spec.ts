import { randomBytes } from 'node:crypto';
import { keyIdOf, TokenCipher, TokenDecryptionError } from './token-cipher';

describe('TokenCipher', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const token = 'CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4';

  it('round-trips and never contains the plaintext', () => {
    const cipher = new TokenCipher(keyA);
    const encrypted = cipher.encrypt(token, 'conn-1:access');
    expect(encrypted.keyId).toBe(keyIdOf(keyA));
    expect(encrypted.ciphertext.toString('latin1')).not.toContain(token);
    expect(encrypted.ciphertext.toString('base64')).not.toContain(Buffer.from(token).toString('base64'));
    expect(cipher.decrypt(encrypted, 'conn-1:access')).toBe(token);
  });

  it('uses a fresh IV each time', () => {
    const cipher = new TokenCipher(keyA);
    expect(cipher.encrypt(token, 'x').ciphertext.equals(cipher.encrypt(token, 'x').ciphertext)).toBe(false);
  });

  it('refuses a ciphertext moved to another row or column', () => {
    const cipher = new TokenCipher(keyA);
    const encrypted = cipher.encrypt(token, 'conn-1:access');
    expect(() => cipher.decrypt(encrypted, 'conn-2:access')).toThrow(TokenDecryptionError);
    expect(() => cipher.decrypt(encrypted, 'conn-1:refresh')).toThrow(TokenDecryptionError);
  });

  it('detects tampering', () => {
    const cipher = new TokenCipher(keyA);
    const encrypted = cipher.encrypt(token, 'aad');
    const tampered = Buffer.from(encrypted.ciphertext);
    tampered[tampered.length - 1] ^= 0x01;
    expect(() => cipher.decrypt({ ...encrypted, ciphertext: tampered }, 'aad')).toThrow(/failed authentication/);
  });

  it('decrypts rows of an old key after rotation and encrypts only with the new one', () => {
    const before = new TokenCipher(keyA);
    const old = before.encrypt(token, 'aad');
    const after = new TokenCipher(keyB, [keyA]);
    expect(after.decrypt(old, 'aad')).toBe(token);
    expect(after.isStale(old.keyId)).toBe(true);
    const fresh = after.encrypt(token, 'aad');
    expect(fresh.keyId).toBe(keyIdOf(keyB));
    expect(after.isStale(fresh.keyId)).toBe(false);
  });

  it('names the missing key id when an old key was dropped', () => {
    const old = new TokenCipher(keyA).encrypt(token, 'aad');
    expect(() => new TokenCipher(keyB).decrypt(old, 'aad')).toThrow(new RegExp(old.keyId));
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new TokenCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
