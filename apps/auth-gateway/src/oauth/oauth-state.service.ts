import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SignedTokenError, signToken, verifyToken } from '../crypto/signed-token';
import { queryRows } from '../database/query-rows';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';

const STATE_PURPOSE = 'oauth-state';

interface StatePayload {
  /** Nonce: primary key of integration.oauth_states, consumed once. */
  n: string;
  /** Organization and user the flow is bound to. */
  o: string;
  u: string;
  exp: number;
}

export interface OAuthStateRecord {
  nonce: string;
  organizationUid: string;
  userUid: string;
  bridgeId: string | null;
  returnTo: string | null;
  label: string | null;
  objectTypes: string[];
}

export interface IssueStateInput {
  organizationUid: string;
  userUid: string;
  bridgeId?: string | null;
  returnTo?: string | null;
  label?: string | null;
  objectTypes: string[];
}

/**
 * The OAuth `state` (issue 4 item 1): HMAC-signed, bound to organization + user, expiring
 * (OAUTH_STATE_TTL_SECONDS, default 10 min) and single-use — its nonce is a row that the callback
 * consumes with one conditional UPDATE, so two callbacks racing with the same state cannot both pass.
 */
@Injectable()
export class OAuthStateService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async issue(input: IssueStateInput): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + this.settings.stateTtlSeconds;
    await this.dataSource.query(
      `INSERT INTO integration.oauth_states (nonce, organization_uid, user_uid, bridge_id, return_to, label, object_types, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8))`,
      [nonce, input.organizationUid, input.userUid, input.bridgeId ?? null, input.returnTo ?? null, input.label ?? null, input.objectTypes, exp],
    );
    // Old states are useless after expiry; trim them opportunistically (cheap, indexed).
    await this.dataSource.query(`DELETE FROM integration.oauth_states WHERE expires_at < now() - interval '1 day'`);
    return signToken<StatePayload>(STATE_PURPOSE, { n: nonce, o: input.organizationUid, u: input.userUid, exp }, this.settings.signingSecret);
  }

  /** Verifies and consumes a state; any failure is a 400 that says which check failed. */
  async consume(state: string | undefined): Promise<OAuthStateRecord> {
    if (!state) throw new BadRequestException('Missing state parameter');
    let payload: StatePayload;
    try {
      payload = verifyToken<StatePayload>(STATE_PURPOSE, state, this.settings.signingSecret);
    } catch (error) {
      if (error instanceof SignedTokenError) {
        const why = error.reason === 'expired' ? 'the state has expired; start the connection again' : `the state is invalid (${error.message})`;
        throw new BadRequestException(`OAuth callback rejected: ${why}`);
      }
      throw error;
    }
    if (typeof payload.n !== 'string' || typeof payload.o !== 'string' || typeof payload.u !== 'string') {
      throw new BadRequestException('OAuth callback rejected: the state is invalid (missing fields)');
    }
    const rows = await queryRows<{ nonce: string; organization_uid: string; user_uid: string; bridge_id: string | null; return_to: string | null; label: string | null; object_types: string[] }>(
      this.dataSource,
        `UPDATE integration.oauth_states SET consumed_at = now()
          WHERE nonce = $1 AND organization_uid = $2 AND user_uid = $3 AND consumed_at IS NULL AND expires_at > now()
          RETURNING nonce, organization_uid, user_uid, bridge_id, return_to, label, object_types`,
        [payload.n, payload.o, payload.u],
      );
    if (rows.length === 0) throw new BadRequestException('OAuth callback rejected: the state was already used or has expired; start the connection again');
    const r = rows[0];
    return {
      nonce: r.nonce,
      organizationUid: r.organization_uid,
      userUid: r.user_uid,
      bridgeId: r.bridge_id,
      returnTo: r.return_to,
      label: r.label,
      objectTypes: r.object_types,
    };
  }
}
