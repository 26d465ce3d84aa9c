import { BadRequestException, GoneException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignedTokenError, signToken, verifyToken } from '../crypto/signed-token';
import { queryRows } from '../database/query-rows';
import { SUPPORTED_INTEGRATION_ID } from '../connections/connection.types';
import { assertRedirectTarget } from '../http/url-validation';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';

const BRIDGE_PURPOSE = 'connection-bridge';

interface BridgePayload {
  b: string;
  exp: number;
}

export interface BridgeRow {
  id: string;
  organization_uid: string;
  user_uid: string;
  integration_id: string;
  label: string | null;
  redirect_uri: string;
  expires_at: Date;
  used_at: Date | null;
  connection_id: string | null;
  completed_at: Date | null;
  created_at: Date;
}

export interface CreatedBridge {
  id: string;
  url: string;
  integration_id: string;
  label: string | null;
  redirect_uri: string;
  expires_at: string;
}

/**
 * Weld-style connection bridges (seed 003, issue 4 item 3): an API client creates one and sends its
 * user's browser to `url` — our OAuth start with a signed, single-use, expiring `bridge` token instead
 * of an API key. After the flow the browser lands on `redirect_uri` with the connection id.
 */
@Injectable()
export class BridgesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async create(input: { organizationUid: string; userUid: string; integrationId: string; label: string | null; redirectUri: string }): Promise<CreatedBridge> {
    if (input.integrationId !== SUPPORTED_INTEGRATION_ID) {
      throw new BadRequestException(`integration_id "${input.integrationId}" is not supported; supported: ${SUPPORTED_INTEGRATION_ID}`);
    }
    const redirectUri = assertRedirectTarget('redirect_uri', input.redirectUri, this.settings.returnToOrigins);
    const exp = Math.floor(Date.now() / 1000) + this.settings.bridgeTtlSeconds;
    const rows: BridgeRow[] = await this.dataSource.query(
      `INSERT INTO integration.bridges (organization_uid, user_uid, integration_id, label, redirect_uri, expires_at)
       VALUES ($1, $2, $3, $4, $5, to_timestamp($6)) RETURNING *`,
      [input.organizationUid, input.userUid, input.integrationId, input.label, redirectUri, exp],
    );
    const bridge = rows[0];
    const token = signToken<BridgePayload>(BRIDGE_PURPOSE, { b: bridge.id, exp }, this.settings.signingSecret);
    const url = new URL('/api/integrations/hubspot/start', this.settings.publicBaseUrl);
    url.searchParams.set('bridge', token);
    return {
      id: bridge.id,
      url: url.toString(),
      integration_id: bridge.integration_id,
      label: bridge.label,
      redirect_uri: bridge.redirect_uri,
      expires_at: bridge.expires_at.toISOString(),
    };
  }

  /** Verifies a bridge token and marks the bridge used (once): 400 when forged, 410 when used or expired. */
  async redeem(token: string): Promise<BridgeRow> {
    let payload: BridgePayload;
    try {
      payload = verifyToken<BridgePayload>(BRIDGE_PURPOSE, token, this.settings.signingSecret);
    } catch (error) {
      if (error instanceof SignedTokenError) {
        if (error.reason === 'expired') throw new GoneException('This connection link has expired; create a new connection bridge');
        throw new BadRequestException(`Invalid bridge token (${error.message})`);
      }
      throw error;
    }
    const rows = await queryRows<BridgeRow>(
      this.dataSource,
      `UPDATE integration.bridges SET used_at = now()
        WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING *`,
      [payload.b],
    );
    if (rows.length === 0) throw new GoneException('This connection link was already used or has expired; create a new connection bridge');
    return rows[0];
  }

  async complete(bridgeId: string, connectionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE integration.bridges SET connection_id = $2, completed_at = now() WHERE id = $1`, [bridgeId, connectionId]);
  }
}
