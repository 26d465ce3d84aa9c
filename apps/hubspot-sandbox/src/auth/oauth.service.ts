import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { rateLimited } from '../gateway/gateway.middleware';
import { HubSpotError } from '../http/hubspot-error';
import { SandboxState } from '../state/sandbox-state.service';
import { RefreshTokenRecord, SandboxApp } from './auth-registry';

/**
 * Errors of the token endpoint. HubSpot answers 400 with `{ status: "BAD_AUTH_CODE" |
 * "BAD_REFRESH_TOKEN" | "BAD_CLIENT_ID" | …, message, correlationId }` (HubSpot OAuth docs and
 * community threads); the OAuth 2.0 `error`/`error_description` fields (RFC 6749 §5.2:
 * invalid_grant, invalid_client, …) are included too so either convention can be checked.
 */
export class OAuthTokenError extends HubSpotError {
  constructor(readonly hubspotStatus: string, readonly oauthError: string, message: string, status = 400) {
    super(status, 'VALIDATION_ERROR', message);
  }

  override body(): Record<string, unknown> {
    return {
      status: this.hubspotStatus,
      message: this.message,
      correlationId: randomUUID(),
      requestId: randomUUID(),
      error: this.oauthError,
      error_description: this.message,
    };
  }
}

/** A problem with the authorize request: shown to the browser user, never redirected. */
export class AuthorizePageError extends Error {}

export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  optional_scope?: string;
  state?: string;
  portal_id?: string;
  auto_approve?: string;
}

const splitScopes = (s?: string) => (s ?? '').split(/[\s,+]+/).map((x) => x.trim()).filter(Boolean);

/**
 * HubSpot's OAuth 2.0 flow (developers.hubspot.com/docs/api/oauth-quickstart-guide):
 * `/oauth/authorize` → consent → redirect with `code`; `POST /oauth/v1/token`
 * (application/x-www-form-urlencoded; SDK lib/codegen/oauth/apis/TokensApi.js) exchanges a
 * single-use, short-lived code (redirect_uri must match) or a refresh token for
 * `{ access_token, refresh_token, token_type: "bearer", expires_in, hub_id, scopes }`.
 */
@Injectable()
export class OAuthService {
  constructor(private readonly state: SandboxState) {}

  private appFor(clientId?: string): SandboxApp {
    const app = clientId ? this.state.auth.appsByClientId.get(clientId) : undefined;
    if (!app || app.appType !== 'public') throw new AuthorizePageError(`Unknown client_id "${clientId ?? ''}": no public app has it.`);
    return app;
  }

  /** Validates an authorize request; returns what the consent page or auto-approval needs. */
  checkAuthorize(p: AuthorizeParams) {
    const app = this.appFor(p.client_id);
    if (!p.redirect_uri) throw new AuthorizePageError('redirect_uri is required.');
    if (app.redirectUris.length > 0 && !app.redirectUris.includes(p.redirect_uri)) {
      throw new AuthorizePageError(`redirect_uri "${p.redirect_uri}" is not one of the app's redirect URLs.`);
    }
    const required = splitScopes(p.scope);
    const optional = splitScopes(p.optional_scope);
    if (app.scopes.length > 0) {
      const unknown = required.filter((s) => !app.scopes.includes(s) && s !== 'oauth');
      if (unknown.length > 0) {
        throw new AuthorizePageError(`Authorization failed: the install URL's scopes don't match the app's configured scopes (not configured: ${unknown.join(', ')}).`);
      }
    }
    const knobs = this.state.knobs();
    let portalId: number | undefined;
    if (p.portal_id) portalId = Number(p.portal_id);
    else if (app.installPortalId) portalId = app.installPortalId;
    else if (knobs.oauthPortalId) portalId = knobs.oauthPortalId;
    else if (this.state.portals.size === 1) portalId = [...this.state.portals.keys()][0];
    if (portalId !== undefined && !this.state.portal(portalId)) throw new AuthorizePageError(`Portal ${portalId} does not exist in the sandbox.`);
    const autoApprove = knobs.autoApprove || p.auto_approve === '1' || p.auto_approve === 'true';
    return { app, redirectUri: p.redirect_uri, scopes: [...new Set([...required, ...optional])], portalId, autoApprove };
  }

  /** Issues a code and builds the redirect back to the app. */
  approve(appId: number, portalId: number, scopes: string[], redirectUri: string, state?: string): string {
    if (!this.state.portal(portalId)) throw new AuthorizePageError(`Portal ${portalId} does not exist in the sandbox.`);
    const code = this.state.auth.issueCode({ appId, portalId, scopes, redirectUri, expiresAt: Date.now() + this.state.codeLifetimeSeconds * 1000 });
    const url = new URL(redirectUri);
    url.searchParams.set('code', code.code);
    if (state !== undefined) url.searchParams.set('state', state);
    return url.toString();
  }

  deny(redirectUri: string, state?: string): string {
    const url = new URL(redirectUri);
    url.searchParams.set('error', 'access_denied');
    url.searchParams.set('error_description', 'The user denied the request.');
    if (state !== undefined) url.searchParams.set('state', state);
    return url.toString();
  }

  token(form: Record<string, unknown>): Record<string, unknown> {
    const get = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    const knobs = this.state.knobs();
    // The token endpoint itself can answer 429 (HUBSPOT-FACTS.md, PostHog PR #63732).
    if (this.state.random.chance(knobs.tokenEndpoint429Rate)) throw rateLimited('TEN_SECONDLY_ROLLING', 0, 0);
    const clientId = get('client_id');
    const app = clientId ? this.state.auth.appsByClientId.get(clientId) : undefined;
    if (!app) throw new OAuthTokenError('BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id');
    if (get('client_secret') !== app.clientSecret) throw new OAuthTokenError('BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret');
    const grant = get('grant_type');
    if (grant === 'authorization_code') return this.exchangeCode(app, get('code'), get('redirect_uri'));
    if (grant === 'refresh_token') return this.refresh(app, get('refresh_token'));
    throw new OAuthTokenError('BAD_GRANT_TYPE', 'unsupported_grant_type', `grant_type must be authorization_code or refresh_token; got "${grant ?? ''}"`);
  }

  private exchangeCode(app: SandboxApp, code?: string, redirectUri?: string) {
    const record = code ? this.state.auth.codes.get(code) : undefined;
    if (!record || record.appId !== app.appId) throw new OAuthTokenError('BAD_AUTH_CODE', 'invalid_grant', 'missing or invalid auth code');
    if (record.used) throw new OAuthTokenError('BAD_AUTH_CODE', 'invalid_grant', 'auth code has already been used');
    if (record.expiresAt <= Date.now()) throw new OAuthTokenError('EXPIRED_AUTH_CODE', 'invalid_grant', 'auth code is expired');
    if (redirectUri !== record.redirectUri) throw new OAuthTokenError('BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match the one used to authorize');
    record.used = true;
    const refresh = this.state.auth.issueRefreshToken(app.appId, record.portalId, [...new Set(['oauth', ...record.scopes])]);
    this.state.usageOf(record.portalId).counters.tokenGrants++;
    return this.tokenResponse(refresh);
  }

  private refresh(app: SandboxApp, token?: string) {
    const record = token ? this.state.auth.refreshTokens.get(token) : undefined;
    if (!record || record.revoked || record.appId !== app.appId) throw new OAuthTokenError('BAD_REFRESH_TOKEN', 'invalid_grant', 'missing or invalid refresh token');
    if (!this.state.portal(record.portalId)) throw new OAuthTokenError('BAD_REFRESH_TOKEN', 'invalid_grant', 'the portal of this refresh token no longer exists');
    const counters = this.state.usageOf(record.portalId).counters;
    counters.tokenGrants++;
    counters.tokenRefreshes++;
    return this.tokenResponse(record);
  }

  /** HubSpot's v1 refresh keeps the same refresh token; each call mints a new access token. */
  private tokenResponse(refresh: RefreshTokenRecord) {
    const access = this.state.auth.issueAccessToken(refresh, this.state.tokenLifetimeSeconds);
    return {
      token_type: 'bearer',
      refresh_token: refresh.token,
      access_token: access.token,
      expires_in: this.state.tokenLifetimeSeconds,
      hub_id: refresh.portalId,
      scopes: refresh.scopes,
    };
  }

  /** `GET /oauth/v1/access-tokens/{token}` (SDK AccessTokenInfoResponse); OAuth tokens only. */
  accessTokenInfo(token: string): Record<string, unknown> {
    const t = this.state.auth.accessTokens.get(token);
    if (!t || t.kind !== 'oauth' || t.revoked || (t.expiresAt ?? 0) <= Date.now()) {
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'The access token is expired or invalid.');
    }
    return {
      token: t.token,
      user: t.user,
      hub_domain: `portal-${t.portalId}.example.com`,
      scopes: t.scopes,
      hub_id: t.portalId,
      app_id: t.appId,
      expires_in: Math.max(0, Math.floor(((t.expiresAt ?? 0) - Date.now()) / 1000)),
      user_id: t.userId,
      token_type: 'access',
    };
  }

  /** `GET /oauth/v1/refresh-tokens/{token}` (SDK RefreshTokenInfoResponse). */
  refreshTokenInfo(token: string): Record<string, unknown> {
    const r = this.state.auth.refreshTokens.get(token);
    if (!r || r.revoked) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'The refresh token is invalid or has been deleted.');
    const app = this.state.auth.apps.get(r.appId);
    return {
      token: r.token,
      user: r.user,
      hub_domain: `portal-${r.portalId}.example.com`,
      scopes: r.scopes,
      hub_id: r.portalId,
      client_id: app?.clientId,
      user_id: r.userId,
      token_type: 'refresh',
    };
  }

  /** `DELETE /oauth/v1/refresh-tokens/{token}` → 204; access tokens from the grant stop working too. */
  deleteRefreshToken(token: string): void {
    if (!this.state.auth.revokeRefreshToken(token)) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'The refresh token is invalid or has been deleted.');
  }

  /**
   * `POST /oauth/v2/private-apps/get/access-token-info` `{ tokenKey }` → `{ userId, hubId, appId,
   * scopes }` (HubSpot private apps guide, "Get access token info").
   */
  privateAppTokenInfo(body: unknown): Record<string, unknown> {
    const key = (body as { tokenKey?: unknown })?.tokenKey;
    if (typeof key !== 'string' || key === '') throw new HubSpotError(400, 'VALIDATION_ERROR', 'tokenKey is required');
    const t = this.state.auth.accessTokens.get(key);
    if (!t || t.kind !== 'private' || t.revoked) throw new HubSpotError(401, 'INVALID_AUTHENTICATION', 'The private app token is invalid or has been rotated.');
    return { userId: t.userId, hubId: t.portalId, appId: t.appId, scopes: t.scopes };
  }
}
