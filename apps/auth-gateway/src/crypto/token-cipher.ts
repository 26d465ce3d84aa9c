import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT_VERSION = 1;
const IV_BYTES = 12; // 96-bit nonce: the size GCM is specified for (NIST SP 800-38D)
const TAG_BYTES = 16;

export interface EncryptedValue {
  /** version (1 byte) ‖ iv (12) ‖ auth tag (16) ‖ ciphertext. */
  ciphertext: Buffer;
  /** Which key encrypted it; stored beside the row so keys can rotate. */
  keyId: string;
}

export class TokenDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenDecryptionError';
  }
}

/**
 * AES-256-GCM for tokens at rest. The current key encrypts; it and any older keys decrypt, chosen by
 * the row's key id. The additional authenticated data binds a ciphertext to its row and column, so a
 * ciphertext copied into another connection's row (or from the refresh into the access column) fails
 * to decrypt instead of handing out someone else's token.
 */
export class TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(currentKey: Buffer, oldKeys: Buffer[] = []) {
    for (const key of [currentKey, ...oldKeys]) {
      if (key.length !== 32) throw new Error(`An AES-256 key must be 32 bytes, got ${key.length}`);
    }
    this.currentKeyId = keyIdOf(currentKey);
    this.keys.set(this.currentKeyId, currentKey);
    for (const key of oldKeys) {
      const id = keyIdOf(key);
      if (!this.keys.has(id)) this.keys.set(id, key);
    }
  }

  encrypt(plaintext: string, aad: string): EncryptedValue {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const ciphertext = Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
    return { ciphertext, keyId: this.currentKeyId };
  }

  decrypt(value: EncryptedValue, aad: string): string {
    const key = this.keys.get(value.keyId);
    if (!key) throw new TokenDecryptionError(`No configured encryption key has id ${value.keyId} (was an old key removed from TOKEN_ENCRYPTION_KEYS_OLD?)`);
    const data = value.ciphertext;
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_VERSION) {
      throw new TokenDecryptionError('Encrypted token has an unknown format');
    }
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const body = data.subarray(1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenDecryptionError('Encrypted token failed authentication (wrong key, tampered data or wrong row)');
    }
  }

  /** Whether a row encrypted under `keyId` should be re-encrypted under the current key. */
  isStale(keyId: string): boolean {
    return keyId !== this.currentKeyId;
  }
}

/** A stable, non-secret identifier of a key: the first 16 hex chars of SHA-256 over "key-id" ‖ key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('hubsync-token-key-id:').update(key).digest('hex').slice(0, 16);
}
