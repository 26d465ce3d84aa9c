import { BadGatewayException, BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { HubSpotAuthError } from '../hubspot-auth/hubspot-auth.errors';
import { HubSpotOAuthClient, TokenInfo } from '../hubspot-auth/hubspot-oauth.client';
import { withBackoff } from '../hubspot-auth/with-backoff';
import { missingScopes, requestedScopes, scopePlanFor, UnknownObjectTypeError } from '../scopes/required-scopes';
import { TokenSet, TokenStore } from '../tokens/token-store';
import { AuthType, ConnectionRow } from './connection.types';
import { ConnectionsRepository } from './connections.repository';

export interface ConnectInput {
  organizationUid: string;
  userUid: string;
  authType: AuthType;
  info: TokenInfo;
  tokens: TokenSet;
  objectTypes: string[];
  label: string | null;
}

export interface DisconnectResult {
  id: string;
  status: 'disconnected';
  refresh_token_revoked: boolean;
}

/** Creating, reading and removing connections; the writes that make a connection exist. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ConnectionsRepository,
    private readonly store: TokenStore,
    private readonly hubspot: HubSpotOAuthClient,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /** The object types a request asks for, or the configured default; unknown names → 400 naming them. */
  objectTypesOrDefault(requested: string[] | undefined): string[] {
    const objectTypes = requested && requested.length > 0 ? requested : this.settings.defaultObjectTypes;
    try {
      scopePlanFor(objectTypes);
    } catch (error) {
      if (error instanceof UnknownObjectTypeError) throw new BadRequestException(`object_types: ${error.message}`);
      throw error;
    }
    return [...new Set(objectTypes)];
  }

  /**
   * Stores a connection and its encrypted tokens in one transaction. The scopes it needs come from
   * the object types synced; those not granted are recorded by name in `missing_scopes`.
   */
  async connect(input: ConnectInput): Promise<ConnectionRow> {
    const plan = scopePlanFor(input.objectTypes);
    const row = await this.dataSource.transaction(async (manager) => {
      const connection = await this.repository.upsert(manager, {
        organizationUid: input.organizationUid,
        userUid: input.userUid,
        portalId: input.info.portalId,
        authType: input.authType,
        scopes: input.info.scopes,
        requiredScopes: requestedScopes(plan),
        missingScopes: missingScopes(plan, input.info.scopes),
        objectTypes: input.objectTypes,
        label: input.label,
        hubDomain: input.info.hubDomain,
        appId: input.info.appId,
      });
      await this.store.save(manager, connection.id, input.organizationUid, input.tokens, false);
      return connection;
    });
    const missing = row.missing_scopes.length > 0 ? `; missing scopes: ${row.missing_scopes.join(', ')}` : '';
    this.logger.log(`Connected portal ${row.portal_id} for organization ${row.organization_uid} as connection ${row.id} (${row.auth_type})${missing}`);
    return row;
  }

  /** Private-app token connect (issue 4 item 2): introspected, never refreshed. */
  async connectPrivateApp(input: { organizationUid: string; userUid: string; accessToken: string; label: string | null; objectTypes: string[] }): Promise<ConnectionRow> {
    let info: TokenInfo;
    try {
      info = await withBackoff(this.backoff(), () => this.hubspot.privateAppTokenInfo(input.accessToken));
    } catch (error) {
      throw asHttpError(error, 'HubSpot rejected the private-app access token');
    }
    return this.connect({
      organizationUid: input.organizationUid,
      userUid: input.userUid,
      authType: 'private_app',
      info,
      tokens: { accessToken: input.accessToken, refreshToken: null, expiresAt: null, lifetimeSeconds: null },
      objectTypes: input.objectTypes,
      label: input.label,
    });
  }

  async list(organizationUid: string, includeDisconnected: boolean): Promise<ConnectionRow[]> {
    return this.repository.listByOrganization(organizationUid, includeDisconnected);
  }

  async get(id: string, organizationUids: string[]): Promise<ConnectionRow> {
    const row = await this.repository.findForOrganizations(id, organizationUids);
    if (!row) throw new NotFoundException(`Connection ${id} not found`);
    return row;
  }

  /**
   * Revokes the refresh token at HubSpot (`DELETE /oauth/v1/refresh-tokens/{token}`), then deletes
   * the stored tokens and marks the connection disconnected. If HubSpot cannot be reached the
   * connection is left as it was (502) so the grant is never orphaned while still live.
   */
  async disconnect(id: string, organizationUids: string[]): Promise<DisconnectResult> {
    await this.get(id, organizationUids);
    return this.dataSource.transaction(async (manager) => {
      const tokens = await this.store.lock(manager, id);
      let revoked = false;
      if (tokens?.authType === 'oauth' && tokens.refreshToken) {
        const refreshToken = tokens.refreshToken;
        try {
          await withBackoff(this.backoff(), () => this.hubspot.revokeRefreshToken(refreshToken));
          revoked = true;
        } catch (error) {
          if (!(error instanceof HubSpotAuthError)) throw error;
          if (error.retryable) throw new BadGatewayException(`Could not revoke the refresh token at HubSpot; nothing was changed, try again: ${error.message}`);
          // Already revoked or unknown to HubSpot: nothing left to revoke.
          this.logger.warn(`Connection ${id}: HubSpot did not accept the revocation (${error.message}); treating the grant as already revoked`);
        }
      }
      await this.store.delete(manager, id);
      await this.repository.markDisconnected(manager, id);
      this.logger.log(`Disconnected connection ${id}${revoked ? ' and revoked its refresh token' : ''}`);
      return { id, status: 'disconnected' as const, refresh_token_revoked: revoked };
    });
  }

  /** Recomputes required/missing scopes for a new selection of object types (no HubSpot call). */
  async checkScopes(id: string, objectTypes: string[]): Promise<ConnectionRow | null> {
    const row = await this.repository.findById(id);
    if (!row) return null;
    const plan = scopePlanFor(objectTypes);
    return this.repository.updateScopeRequirements(id, objectTypes, requestedScopes(plan), missingScopes(plan, row.scopes));
  }

  backoff() {
    return {
      maxAttempts: this.settings.tokenEndpointMaxAttempts,
      baseDelayMs: this.settings.tokenEndpointBackoffMs,
      maxDelayMs: this.settings.tokenEndpointMaxBackoffMs,
    };
  }
}

/** HubSpot failures during a user's request: rejected credentials → 400, HubSpot unavailable → 502. */
export function asHttpError(error: unknown, rejectedPrefix: string): Error {
  if (!(error instanceof HubSpotAuthError)) return error as Error;
  if (error.retryable) return new BadGatewayException(`HubSpot is unavailable, try again: ${error.message}`);
  return new BadRequestException(`${rejectedPrefix}: ${error.message}`);
}
