import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TokenCipher } from '../crypto/token-cipher';
import { TOKEN_CIPHER } from '../crypto/token-cipher.provider';
import { AuthType } from '../connections/connection.types';

/** Tokens in plaintext, only ever in memory. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** null for private-app tokens (they do not expire). */
  expiresAt: Date | null;
  lifetimeSeconds: number | null;
}

/** A token row joined with the connection fields a token decision needs. */
export interface StoredTokens extends TokenSet {
  connectionId: string;
  organizationUid: string;
  portalId: string;
  authType: AuthType;
  status: 'active' | 'needs_reauth' | 'disconnected';
  lastError: string | null;
  keyId: string;
}

interface TokenRow {
  connection_id: string;
  organization_uid: string;
  portal_id: string;
  auth_type: AuthType;
  status: StoredTokens['status'];
  last_error: string | null;
  key_id: string;
  access_token_ciphertext: Buffer;
  refresh_token_ciphertext: Buffer | null;
  access_token_expires_at: Date | null;
  access_token_lifetime_seconds: number | null;
}

const SELECT = `SELECT t.connection_id, c.organization_uid, c.portal_id, c.auth_type, c.status, c.last_error, t.key_id,
    t.access_token_ciphertext, t.refresh_token_ciphertext, t.access_token_expires_at, t.access_token_lifetime_seconds
  FROM integration.tokens t JOIN integration.connections c ON c.id = t.connection_id`;

/**
 * integration.tokens: AES-256-GCM ciphertext only (issue 4 item 5). The additional authenticated
 * data is `<connection id>:<column>`, so ciphertexts cannot be swapped between rows or columns.
 */
@Injectable()
export class TokenStore {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(TOKEN_CIPHER) private readonly cipher: TokenCipher,
  ) {}

  /** Reads without locking (the fast path when the token is still fresh). */
  async read(connectionId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredTokens | null> {
    const rows: TokenRow[] = await manager.query(`${SELECT} WHERE t.connection_id = $1`, [connectionId]);
    return rows[0] ? this.decrypt(rows[0]) : null;
  }

  /**
   * Locks the token row (`FOR UPDATE OF t`) for the rest of `manager`'s transaction: the one
   * mechanism that makes refreshes single-flight across replicas. Callers re-check freshness after it
   * returns, because whoever held the lock before may have refreshed already.
   */
  async lock(manager: EntityManager, connectionId: string): Promise<StoredTokens | null> {
    const rows: TokenRow[] = await manager.query(`${SELECT} WHERE t.connection_id = $1 FOR UPDATE OF t`, [connectionId]);
    return rows[0] ? this.decrypt(rows[0]) : null;
  }

  async save(manager: EntityManager, connectionId: string, organizationUid: string, tokens: TokenSet, refreshed: boolean): Promise<void> {
    const access = this.cipher.encrypt(tokens.accessToken, aad(connectionId, 'access'));
    const refresh = tokens.refreshToken === null ? null : this.cipher.encrypt(tokens.refreshToken, aad(connectionId, 'refresh'));
    await manager.query(
      `INSERT INTO integration.tokens
         (connection_id, organization_uid, key_id, access_token_ciphertext, refresh_token_ciphertext,
          access_token_expires_at, access_token_lifetime_seconds, refreshed_at, refresh_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END, CASE WHEN $8 THEN 1 ELSE 0 END)
       ON CONFLICT (connection_id) DO UPDATE SET
         organization_uid = EXCLUDED.organization_uid, key_id = EXCLUDED.key_id,
         access_token_ciphertext = EXCLUDED.access_token_ciphertext,
         refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext,
         access_token_expires_at = EXCLUDED.access_token_expires_at,
         access_token_lifetime_seconds = EXCLUDED.access_token_lifetime_seconds,
         refreshed_at = CASE WHEN $8 THEN now() ELSE integration.tokens.refreshed_at END,
         refresh_count = integration.tokens.refresh_count + CASE WHEN $8 THEN 1 ELSE 0 END,
         updated_at = now()`,
      [connectionId, organizationUid, access.keyId, access.ciphertext, refresh?.ciphertext ?? null, tokens.expiresAt, tokens.lifetimeSeconds, refreshed],
    );
  }

  async delete(manager: EntityManager, connectionId: string): Promise<void> {
    await manager.query(`DELETE FROM integration.tokens WHERE connection_id = $1`, [connectionId]);
  }

  /** Connection ids whose tokens are encrypted under a key other than the current one (rotation). */
  async staleKeyConnectionIds(limit: number): Promise<string[]> {
    const rows: { connection_id: string }[] = await this.dataSource.query(
      `SELECT connection_id FROM integration.tokens WHERE key_id <> $1 ORDER BY connection_id LIMIT $2`,
      [this.cipher.currentKeyId, limit],
    );
    return rows.map((r) => r.connection_id);
  }

  /** Re-encrypts one row under the current key, under the row lock (no refresh, no HubSpot call). */
  async reencrypt(connectionId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows: TokenRow[] = await manager.query(
        `${SELECT} WHERE t.connection_id = $1 AND t.key_id <> $2 FOR UPDATE OF t SKIP LOCKED`,
        [connectionId, this.cipher.currentKeyId],
      );
      if (!rows[0]) return false;
      const tokens = this.decrypt(rows[0]);
      const access = this.cipher.encrypt(tokens.accessToken, aad(connectionId, 'access'));
      const refresh = tokens.refreshToken === null ? null : this.cipher.encrypt(tokens.refreshToken, aad(connectionId, 'refresh'));
      await manager.query(
        `UPDATE integration.tokens SET key_id = $2, access_token_ciphertext = $3, refresh_token_ciphertext = $4, updated_at = now()
          WHERE connection_id = $1`,
        [connectionId, access.keyId, access.ciphertext, refresh?.ciphertext ?? null],
      );
      return true;
    });
  }

  private decrypt(row: TokenRow): StoredTokens {
    return {
      connectionId: row.connection_id,
      organizationUid: row.organization_uid,
      portalId: row.portal_id,
      authType: row.auth_type,
      status: row.status,
      lastError: row.last_error,
      keyId: row.key_id,
      accessToken: this.cipher.decrypt({ ciphertext: row.access_token_ciphertext, keyId: row.key_id }, aad(row.connection_id, 'access')),
      refreshToken:
        row.refresh_token_ciphertext === null
          ? null
          : this.cipher.decrypt({ ciphertext: row.refresh_token_ciphertext, keyId: row.key_id }, aad(row.connection_id, 'refresh')),
      expiresAt: row.access_token_expires_at,
      lifetimeSeconds: row.access_token_lifetime_seconds,
    };
  }
}

function aad(connectionId: string, column: 'access' | 'refresh'): string {
  return `${connectionId}:${column}`;
}
