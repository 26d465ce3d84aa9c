import { Inject, Injectable, Optional } from '@nestjs/common';
import { Client } from '@hubspot/api-client';
import { MetricsService } from '@hubsync/observability';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { classifyAuthErrorResponse, HubSpotAuthError } from './hubspot-auth.errors';

export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface TokenInfo {
  portalId: string;
  scopes: string[];
  appId: string | null;
  hubDomain: string | null;
}

interface CapturedResponse {
  status?: number;
  body?: string;
  retryAfter?: string | null;
}

/**
 * HubSpot's OAuth endpoints through the official SDK (`@hubspot/api-client` 13.5, `client.oauth.*`)
 * with `basePath` = HUBSPOT_API_BASE_URL, so the same code talks to HubSpot and to the sandbox.
 *
 * - No SDK retries or limiter (process-global decorators; HUBSPOT-FACTS "The official Node SDK"):
 *   the caller decides about retries with its own backoff.
 * - The SDK's error model drops HubSpot's `status` field (e.g. BAD_REFRESH_TOKEN) and it throws a bare
 *   parse error on non-JSON bodies, so a per-call response middleware keeps the raw status and body.
 * - The SDK has no request timeout; each call races a timer so a hung endpoint cannot hold a
 *   refresh lock forever.
 */
@Injectable()
export class HubSpotOAuthClient {
  private readonly client: Client;

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    // No numberOfApiCallRetries / limiterOptions: one attempt per call, retries are ours.
    this.client = new Client({ basePath: settings.hubspotApiBaseUrl });
  }

  /** `POST /oauth/v1/token` grant_type=authorization_code (the code is single-use; redirect_uri must match). */
  exchangeCode(code: string): Promise<TokenGrant> {
    const s = this.settings;
    return this.call('token exchange', true, [code], (client, options) =>
      client.oauth.tokensApi.create('authorization_code', code, s.redirectUri, s.clientId, s.clientSecret, undefined, options),
    ).then((r) => toGrant(r, 'token exchange'));
  }

  /** `POST /oauth/v1/token` grant_type=refresh_token. */
  refresh(refreshToken: string): Promise<TokenGrant> {
    const s = this.settings;
    return this.call('token refresh', true, [refreshToken], (client, options) =>
      client.oauth.tokensApi.create('refresh_token', undefined, undefined, s.clientId, s.clientSecret, refreshToken, options),
    ).then((r) => toGrant(r, 'token refresh'));
  }

  /** `GET /oauth/v1/access-tokens/{token}`: hub id and granted scopes of an OAuth access token. */
  async accessTokenInfo(accessToken: string): Promise<TokenInfo> {
    const info = await this.call('access token info', false, [accessToken], (client, options) => client.oauth.accessTokensApi.get(accessToken, options));
    return toTokenInfo(info, 'access token info');
  }

  /** `DELETE /oauth/v1/refresh-tokens/{token}`: revokes the grant (the app stays installed). */
  async revokeRefreshToken(refreshToken: string): Promise<void> {
    await this.call('refresh token revoke', false, [refreshToken], (client, options) => client.oauth.refreshTokensApi.archive(refreshToken, options));
  }

  /**
   * `POST /oauth/v2/private-apps/get/access-token-info {tokenKey}` (HubSpot private apps docs,
   * "Retrieve access token information"; HUBSPOT-FACTS "OAuth and tokens"). The SDK has no method for
   * it, so this one is a plain HTTPS call.
   */
  async privateAppTokenInfo(token: string): Promise<TokenInfo> {
    const what = 'private app token info';
    let response: Response;
    try {
      response = await fetch(new URL('/oauth/v2/private-apps/get/access-token-info', this.settings.hubspotApiBaseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ tokenKey: token }),
        signal: AbortSignal.timeout(this.settings.hubspotHttpTimeoutMs),
      });
    } catch (error) {
      this.count(what, 'network');
      throw new HubSpotAuthError('transient', `${what}: ${redact(describe(error), [token])}`);
    }
    this.count(what, String(response.status));
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      const classified = classifyAuthErrorResponse({ status: response.status, body, retryAfter: response.headers.get('retry-after') }, what, false);
      throw new HubSpotAuthError(classified.kind, redact(classified.message, [token]), classified.httpStatus, classified.retryAfterSeconds);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HubSpotAuthError('transient', `${what}: HubSpot answered ${response.status} with a body that is not JSON`);
    }
    return toTokenInfo(parsed, what);
  }

  /** Every request to HubSpot's OAuth endpoints, by call and HTTP status (retries show up here). */
  private count(call: string, status: string): void {
    this.metrics?.counter('hubspot_oauth_requests_total', "Requests to HubSpot's OAuth endpoints", ['call', 'status']).inc({ call: call.replace(/ /g, '_'), status });
  }

  private async call<T>(what: string, grantCall: boolean, secrets: string[], run: (client: Client, options: CallOptions) => Promise<T>): Promise<T> {
    const captured: CapturedResponse = {};
    // Per-call middleware: in SDK 13.5 the generated APIs only run middleware passed with the call
    // (ObservableAPI: `allMiddleware` comes from `_options`), and per call keeps captures private.
    const options: CallOptions = {
      middlewareMergeStrategy: 'append',
      middleware: [
        {
          pre: async (ctx) => ctx,
          post: async (ctx) => {
            const response = ctx as unknown as ResponseLike;
            captured.status = response.httpStatusCode;
            captured.retryAfter = headerOf(response.headers, 'retry-after');
            if (response.httpStatusCode >= 300) {
              // Buffer the body once and hand the SDK a replayable copy.
              const text = await response.body.text();
              captured.body = text;
              response.body = { text: async () => text, binary: async () => Buffer.from(text, 'utf8') };
            }
            return ctx;
          },
        },
      ],
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HubSpotAuthError('transient', `${what}: no answer from HubSpot within ${this.settings.hubspotHttpTimeoutMs} ms`)),
        this.settings.hubspotHttpTimeoutMs,
      );
    });
    try {
      const result = await Promise.race([run(this.client, options), timeout]);
      this.count(what, String(captured.status ?? 'unknown'));
      return result;
    } catch (error) {
      this.count(what, captured.status === undefined ? (error instanceof HubSpotAuthError ? 'timeout' : 'network') : String(captured.status));
      if (error instanceof HubSpotAuthError) throw error;
      if (captured.status !== undefined && captured.status >= 300) {
        const classified = classifyAuthErrorResponse({ status: captured.status, body: captured.body ?? '', retryAfter: captured.retryAfter }, what, grantCall);
        throw new HubSpotAuthError(classified.kind, redact(classified.message, secrets), classified.httpStatus, classified.retryAfterSeconds);
      }
      // No HTTP answer at all (connection refused/reset, DNS) or an unparseable 2xx body.
      const kind = captured.status === undefined ? 'transient' : 'invalid_request';
      throw new HubSpotAuthError(kind, `${what}: ${redact(describe(error), secrets)}`, captured.status);
    } finally {
      clearTimeout(timer);
    }
  }
}

type CallOptions = NonNullable<Parameters<Client['oauth']['accessTokensApi']['get']>[1]>;

interface ResponseLike {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string>; binary(): Promise<Buffer> };
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return null;
}

function toGrant(response: unknown, what: string): TokenGrant {
  const r = response as { accessToken?: unknown; refreshToken?: unknown; expiresIn?: unknown };
  if (typeof r?.accessToken !== 'string' || r.accessToken.length === 0) throw invalidAnswer(what, 'access_token');
  if (typeof r.refreshToken !== 'string' || r.refreshToken.length === 0) throw invalidAnswer(what, 'refresh_token');
  const expiresIn = Number(r.expiresIn);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw invalidAnswer(what, 'expires_in');
  return { accessToken: r.accessToken, refreshToken: r.refreshToken, expiresInSeconds: Math.floor(expiresIn) };
}

/** Accepts both the SDK's camelCase model and HubSpot's raw snake_case / camelCase JSON. */
function toTokenInfo(value: unknown, what: string): TokenInfo {
  const v = (value ?? {}) as Record<string, unknown>;
  const hubId = v['hubId'] ?? v['hub_id'];
  if ((typeof hubId !== 'number' && typeof hubId !== 'string') || String(hubId).length === 0 || !/^\d+$/.test(String(hubId))) {
    throw invalidAnswer(what, 'hub_id');
  }
  const scopes = v['scopes'];
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) throw invalidAnswer(what, 'scopes');
  const appId = v['appId'] ?? v['app_id'];
  const hubDomain = v['hubDomain'] ?? v['hub_domain'];
  return {
    portalId: String(hubId),
    scopes: [...new Set(scopes as string[])].sort(),
    appId: typeof appId === 'number' || typeof appId === 'string' ? String(appId) : null,
    hubDomain: typeof hubDomain === 'string' ? hubDomain : null,
  };
}

function invalidAnswer(what: string, field: string): HubSpotAuthError {
  return new HubSpotAuthError('invalid_request', `${what}: HubSpot's answer has no valid ${field}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes secrets from text that may end up in logs or `last_error`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out;
}
