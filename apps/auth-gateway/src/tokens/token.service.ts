import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuthTokenGetReplyV1 } from '@hubsync/contracts';
import { MetricsService } from '@hubsync/observability';
import { ConnectionsRepository, isUuid } from '../connections/connections.repository';
import { HubSpotAuthError } from '../hubspot-auth/hubspot-auth.errors';
import { HubSpotOAuthClient } from '../hubspot-auth/hubspot-oauth.client';
import { withBackoff } from '../hubspot-auth/with-backoff';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { TokenAccessError } from './token-access.error';
import { StoredTokens, TokenStore } from './token-store';

type Trigger = { kind: 'expiring' } | { kind: 'rejected'; accessToken: string };
type LockedOutcome = { tokens: StoredTokens } | { error: TokenAccessError };

const PRIVATE_APP_REJECTED =
  'HubSpot rejected the private-app access token (401): it was rotated or its scopes changed, and private-app tokens cannot be refreshed. Connect a new token.';

/**
 * Hands out valid access tokens (issue 4 items 6 and 7).
 *
 * Refresh happens ahead of expiry (TOKEN_REFRESH_MARGIN_SECONDS, capped at half the token's lifetime
 * so short-lived tokens are not refreshed on every call) — HubSpot says a 401 is not by itself the
 * signal to refresh (HUBSPOT-FACTS "OAuth and tokens") — and on demand after a 401 (`invalidate`).
 *
 * Single flight: in one process, concurrent callers for a connection share one promise; across
 * replicas, the refresh runs while holding the token row's lock (`SELECT … FOR UPDATE`) and every
 * waiter re-checks freshness once it gets the lock, so at most one refresh per connection is in
 * flight and the others get its result (or its typed error).
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly flights = new Map<string, Promise<AuthTokenGetReplyV1>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: TokenStore,
    private readonly connections: ConnectionsRepository,
    private readonly hubspot: HubSpotOAuthClient,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async getToken(connectionId: string): Promise<AuthTokenGetReplyV1> {
    const current = await this.readUsable(connectionId);
    if (current.authType === 'private_app' || this.isFresh(current)) return toReply(current);
    return this.singleFlight(`get:${connectionId}`, () => this.underLock(connectionId, { kind: 'expiring' }));
  }

  /** After a 401 with `accessToken`: refresh once if it is still the current token (private app → needs_reauth). */
  async invalidate(connectionId: string, accessToken: string): Promise<AuthTokenGetReplyV1> {
    await this.readUsable(connectionId);
    return this.singleFlight(`invalidate:${connectionId}`, () => this.underLock(connectionId, { kind: 'rejected', accessToken }));
  }

  /** Whether the access token is valid for longer than the refresh margin. */
  isFresh(tokens: Pick<StoredTokens, 'expiresAt' | 'lifetimeSeconds'>, nowMs = Date.now()): boolean {
    if (tokens.expiresAt === null) return true;
    const lifetime = tokens.lifetimeSeconds ?? Number.POSITIVE_INFINITY;
    const marginMs = Math.min(this.settings.refreshMarginSeconds, lifetime / 2) * 1000;
    return tokens.expiresAt.getTime() - marginMs > nowMs;
  }

  private async readUsable(connectionId: string): Promise<StoredTokens> {
    if (!isUuid(connectionId)) throw new TokenAccessError('invalid_request', 'connectionId must be a UUID');
    const tokens = await this.store.read(connectionId);
    if (!tokens) throw await this.missingTokensError(connectionId);
    const unusable = unusableError(tokens);
    if (unusable) throw unusable;
    return tokens;
  }

  private async missingTokensError(connectionId: string): Promise<TokenAccessError> {
    const connection = await this.connections.findById(connectionId);
    if (!connection) return new TokenAccessError('not_found', `Connection ${connectionId} does not exist`);
    if (connection.status === 'disconnected') return new TokenAccessError('not_found', `Connection ${connectionId} is disconnected`);
    return new TokenAccessError('needs_reauth', `Connection ${connectionId} has no stored tokens; reconnect it`);
  }

  private singleFlight(key: string, run: () => Promise<AuthTokenGetReplyV1>): Promise<AuthTokenGetReplyV1> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const flight = run().finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  private async underLock(connectionId: string, trigger: Trigger): Promise<AuthTokenGetReplyV1> {
    let outcome: LockedOutcome;
    try {
      // Errors that change state are returned, not thrown, so their writes commit.
      outcome = await this.dataSource.transaction((manager) => this.decideLocked(manager, connectionId, trigger));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '55P03') {
        throw new TokenAccessError('transient', `Timed out waiting for another refresh of connection ${connectionId}`);
      }
      throw error;
    }
    if ('error' in outcome) throw outcome.error;
    return toReply(outcome.tokens);
  }

  private async decideLocked(manager: EntityManager, connectionId: string, trigger: Trigger): Promise<LockedOutcome> {
    await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.settings.refreshLockTimeoutMs}ms`]);
    const row = await this.store.lock(manager, connectionId);
    if (!row) return { error: await this.missingTokensError(connectionId) };
    const unusable = unusableError(row);
    if (unusable) return { error: unusable };

    const rejectedIsCurrent = trigger.kind === 'rejected' && sameToken(row.accessToken, trigger.accessToken);
    if (row.authType === 'private_app') {
      if (!rejectedIsCurrent) return { tokens: row };
      await this.connections.markNeedsReauth(manager, connectionId, PRIVATE_APP_REJECTED);
      this.count('private_app_rejected');
      this.logger.warn(`Connection ${connectionId} (portal ${row.portalId}) needs re-authorization: private-app token rejected`);
      return { error: new TokenAccessError('needs_reauth', PRIVATE_APP_REJECTED) };
    }
    // Someone refreshed while we waited for the lock, or the rejected token was already replaced.
    if (!rejectedIsCurrent && this.isFresh(row)) return { tokens: row };
    if (!row.refreshToken) {
      const reason = 'No refresh token is stored for this OAuth connection; reconnect it';
      await this.connections.markNeedsReauth(manager, connectionId, reason);
      return { error: new TokenAccessError('needs_reauth', reason) };
    }
    return this.refreshLocked(manager, row, row.refreshToken, rejectedIsCurrent);
  }

  private async refreshLocked(manager: EntityManager, row: StoredTokens, refreshToken: string, rejectedIsCurrent: boolean): Promise<LockedOutcome> {
    const policy = {
      maxAttempts: this.settings.tokenEndpointMaxAttempts,
      baseDelayMs: this.settings.tokenEndpointBackoffMs,
      maxDelayMs: this.settings.tokenEndpointMaxBackoffMs,
    };
    try {
      let startedAt = Date.now();
      const grant = await withBackoff(policy, () => {
        startedAt = Date.now();
        return this.hubspot.refresh(refreshToken);
      });
      // Expiry counted from when the request left, so we never believe a token lives longer than it does.
      const tokens = {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        expiresAt: new Date(startedAt + grant.expiresInSeconds * 1000),
        lifetimeSeconds: grant.expiresInSeconds,
      };
      await this.store.save(manager, row.connectionId, row.organizationUid, tokens, true);
      await this.connections.recordError(manager, row.connectionId, null);
      this.count('refreshed');
      this.logger.log(`Refreshed the access token of connection ${row.connectionId} (portal ${row.portalId}); valid ${grant.expiresInSeconds} s`);
      return { tokens: { ...row, ...tokens } };
    } catch (error) {
      if (!(error instanceof HubSpotAuthError)) throw error;
      if (error.kind === 'invalid_grant') {
        const reason = `HubSpot rejected the refresh token (revoked, or the app was uninstalled): ${error.message}`;
        await this.connections.markNeedsReauth(manager, row.connectionId, reason);
        this.count('invalid_grant');
        this.logger.warn(`Connection ${row.connectionId} (portal ${row.portalId}) needs re-authorization: ${error.message}`);
        return { error: new TokenAccessError('needs_reauth', reason) };
      }
      const message = `Token refresh failed: ${error.message}`;
      await this.connections.recordError(manager, row.connectionId, message);
      this.count(error.kind);
      this.logger.warn(`Connection ${row.connectionId}: ${message}`);
      // The current token is still valid (we refresh ahead of expiry): serve it rather than fail.
      if (!rejectedIsCurrent && row.expiresAt !== null && row.expiresAt.getTime() > Date.now()) return { tokens: row };
      const kind = error.kind === 'rate_limited' ? 'rate_limited' : error.kind === 'transient' ? 'transient' : 'invalid_request';
      return { error: new TokenAccessError(kind, message) };
    }
  }

  private count(outcome: string): void {
    this.metrics?.counter('auth_token_refreshes_total', 'Token refresh attempts by outcome', ['outcome']).inc({ outcome });
  }
}

function unusableError(tokens: StoredTokens): TokenAccessError | null {
  if (tokens.status === 'active') return null;
  if (tokens.status === 'disconnected') return new TokenAccessError('not_found', `Connection ${tokens.connectionId} is disconnected`);
  return new TokenAccessError('needs_reauth', tokens.lastError ?? `Connection ${tokens.connectionId} needs re-authorization`);
}

function toReply(tokens: StoredTokens): AuthTokenGetReplyV1 {
  return {
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt ? tokens.expiresAt.toISOString() : null,
    portalId: tokens.portalId,
    authType: tokens.authType,
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
