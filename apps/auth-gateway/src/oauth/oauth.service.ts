import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { BridgesService } from '../bridges/bridges.service';
import { ConnectionRow } from '../connections/connection.types';
import { asHttpError, ConnectionsService } from '../connections/connections.service';
import { HubSpotOAuthClient } from '../hubspot-auth/hubspot-oauth.client';
import { withBackoff } from '../hubspot-auth/with-backoff';
import { withQuery } from '../http/url-validation';
import { scopePlanFor, requestedScopes } from '../scopes/required-scopes';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { OAuthStateService } from './oauth-state.service';

export interface StartInput {
  organizationUid: string;
  userUid: string;
  returnTo: string | null;
  bridgeId: string | null;
  label: string | null;
  objectTypes: string[];
}

export interface CallbackInput {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

export interface CallbackResult {
  connection: ConnectionRow;
  /** Where to send the browser, when the flow started with `return_to` or a bridge. */
  redirectTo: string | null;
}

/** The OAuth install flow (issue 4 item 1; seeds 002 and 004). */
@Injectable()
export class OAuthService {
  private readonly logger = new Logger(OAuthService.name);

  constructor(
    private readonly states: OAuthStateService,
    private readonly connections: ConnectionsService,
    private readonly bridges: BridgesService,
    private readonly hubspot: HubSpotOAuthClient,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /**
   * HubSpot's authorize URL, built from HUBSPOT_AUTH_BASE_URL (the SDK's getAuthorizationUrl is
   * hard-coded to app.hubspot.com — HUBSPOT-FACTS "The official Node SDK"). `scope` and
   * `optional_scope` are space-separated (HubSpot OAuth docs, "Initiating an integration with OAuth").
   */
  async authorizeUrl(input: StartInput): Promise<string> {
    const plan = scopePlanFor(input.objectTypes);
    const state = await this.states.issue({
      organizationUid: input.organizationUid,
      userUid: input.userUid,
      bridgeId: input.bridgeId,
      returnTo: input.returnTo,
      label: input.label,
      objectTypes: input.objectTypes,
    });
    const url = new URL('/oauth/authorize', this.settings.hubspotAuthBaseUrl);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('redirect_uri', this.settings.redirectUri);
    url.searchParams.set('scope', requestedScopes(plan).join(' '));
    if (plan.optional.length > 0) url.searchParams.set('optional_scope', plan.optional.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  }

  /**
   * Checks the state (signature, binding, expiry, single use), exchanges the code, reads the token's
   * hub id and scopes, stores the connection. Every failure is a 4xx (502 when HubSpot is down) and
   * writes no connection.
   */
  async callback(input: CallbackInput): Promise<CallbackResult> {
    const state = await this.states.consume(input.state);
    if (input.error) {
      const description = input.errorDescription ? `: ${input.errorDescription.slice(0, 300)}` : '';
      throw new BadRequestException(`HubSpot authorization failed (${input.error.slice(0, 100)}${description})`);
    }
    if (!input.code) throw new BadRequestException('Missing code parameter');
    const code = input.code;
    const policy = this.connections.backoff();
    let grant;
    let info;
    let startedAt = Date.now();
    try {
      // Exchange is not retried on 4xx: the code is single-use (HUBSPOT-FACTS "OAuth and tokens").
      grant = await withBackoff(policy, () => {
        startedAt = Date.now();
        return this.hubspot.exchangeCode(code);
      });
      const accessToken = grant.accessToken;
      info = await withBackoff(policy, () => this.hubspot.accessTokenInfo(accessToken));
    } catch (error) {
      throw asHttpError(error, 'HubSpot did not accept the authorization');
    }
    const connection = await this.connections.connect({
      organizationUid: state.organizationUid,
      userUid: state.userUid,
      authType: 'oauth',
      info,
      tokens: {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        // Counted from when the exchange left: never believe a token lives longer than it does.
        expiresAt: new Date(startedAt + grant.expiresInSeconds * 1000),
        lifetimeSeconds: grant.expiresInSeconds,
      },
      objectTypes: state.objectTypes.length > 0 ? state.objectTypes : this.settings.defaultObjectTypes,
      label: state.label,
    });
    let redirectTo = state.returnTo ? withQuery(state.returnTo, { connection_id: connection.id }) : null;
    if (state.bridgeId) {
      await this.bridges.complete(state.bridgeId, connection.id);
      if (redirectTo) redirectTo = withQuery(redirectTo, { bridge_id: state.bridgeId });
    }
    return { connection, redirectTo };
  }
}
