import { randomBytes, randomUUID } from 'node:crypto';

export type AppType = 'public' | 'private';
/** Private-app rate tiers (HubSpot usage guidelines): free/starter 100, pro/enterprise 190, limit pack 250 per 10 s. */
export type AppTier = 'free' | 'starter' | 'professional' | 'enterprise' | 'limit-pack';

export interface WebhookSubscription {
  id: string;
  eventType: string;
  propertyName?: string;
  objectTypeId?: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SandboxApp {
  appId: number;
  appType: AppType;
  tier: AppTier;
  clientId: string;
  clientSecret: string;
  developerApiKey: string;
  redirectUris: string[];
  /** Scopes the app may request (empty = any). */
  scopes: string[];
  /** Portal OAuth installs are granted to (public apps), or the owning portal (private apps). */
  installPortalId?: number;
  /** Private apps: their one static token (rotated when scopes change). */
  privateToken?: string;
  webhookSettings?: { targetUrl: string; maxConcurrentRequests: number; createdAt: number; updatedAt: number };
  subscriptions: WebhookSubscription[];
  createdAt: number;
}

export interface AccessTokenRecord {
  token: string;
  kind: 'oauth' | 'private';
  appId: number;
  portalId: number;
  scopes: string[];
  /** OAuth only; private tokens do not expire. */
  expiresAt?: number;
  userId: number;
  user: string;
  refreshToken?: string;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  appId: number;
  portalId: number;
  scopes: string[];
  userId: number;
  user: string;
  revoked: boolean;
}

export interface AuthCodeRecord {
  code: string;
  appId: number;
  portalId: number;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** Apps, grants and tokens of the whole sandbox (all portals). */
export class AuthRegistry {
  readonly apps = new Map<number, SandboxApp>();
  readonly appsByClientId = new Map<string, SandboxApp>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  private nextAppId = 1_000_001;

  createApp(input: { appType: AppType; tier?: AppTier; redirectUris?: string[]; scopes?: string[]; installPortalId?: number }): SandboxApp {
    const app: SandboxApp = {
      appId: this.nextAppId++,
      appType: input.appType,
      tier: input.tier ?? 'professional',
      clientId: randomUUID(),
      clientSecret: randomUUID(),
      developerApiKey: randomUUID(),
      redirectUris: input.redirectUris ?? [],
      scopes: input.scopes ?? [],
      installPortalId: input.installPortalId,
      subscriptions: [],
      createdAt: Date.now(),
    };
    this.apps.set(app.appId, app);
    this.appsByClientId.set(app.clientId, app);
    return app;
  }

  /**
   * A private app's token (`pat-na1-…`, the format HubSpot shows in the private app settings).
   * Replacing it (scope change) invalidates the old one — HubSpot rotates the token when a
   * private app's scopes change (HUBSPOT-FACTS.md, OAuth and tokens).
   */
  issuePrivateToken(app: SandboxApp, portalId: number, scopes: string[]): AccessTokenRecord {
    if (app.privateToken) this.accessTokens.delete(app.privateToken);
    const record: AccessTokenRecord = {
      token: `pat-na1-${randomUUID()}`,
      kind: 'private',
      appId: app.appId,
      portalId,
      scopes: [...scopes],
      userId: 1000 + (portalId % 1000),
      user: `admin@portal${portalId}.example.com`,
      revoked: false,
    };
    app.privateToken = record.token;
    app.scopes = [...scopes];
    this.accessTokens.set(record.token, record);
    return record;
  }

  issueCode(input: Omit<AuthCodeRecord, 'code' | 'used'>): AuthCodeRecord {
    const record: AuthCodeRecord = { ...input, code: randomUUID(), used: false };
    this.codes.set(record.code, record);
    return record;
  }

  issueRefreshToken(appId: number, portalId: number, scopes: string[]): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      token: `na1-${randomUUID().slice(0, 4)}-${randomUUID()}`,
      appId,
      portalId,
      scopes,
      userId: 1000 + (portalId % 1000),
      user: `admin@portal${portalId}.example.com`,
      revoked: false,
    };
    this.refreshTokens.set(record.token, record);
    return record;
  }

  /**
   * OAuth access tokens are long opaque strings; HubSpot says to allow up to 300 characters
   * (HUBSPOT-FACTS.md), so ours are 280 to catch short columns.
   */
  issueAccessToken(refresh: RefreshTokenRecord, lifetimeSeconds: number): AccessTokenRecord {
    const token = `CN${randomBytes(208).toString('base64url')}`.slice(0, 280);
    const record: AccessTokenRecord = {
      token,
      kind: 'oauth',
      appId: refresh.appId,
      portalId: refresh.portalId,
      scopes: refresh.scopes,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
      userId: refresh.userId,
      user: refresh.user,
      refreshToken: refresh.token,
      revoked: false,
    };
    this.accessTokens.set(token, record);
    return record;
  }

  /** Revokes a refresh token and every access token issued from it (an uninstall). */
  revokeRefreshToken(token: string): boolean {
    const record = this.refreshTokens.get(token);
    if (!record || record.revoked) return false;
    record.revoked = true;
    for (const t of this.accessTokens.values()) if (t.refreshToken === token) t.revoked = true;
    return true;
  }

  revokeAccessToken(token: string): boolean {
    const record = this.accessTokens.get(token);
    if (!record || record.revoked) return false;
    record.revoked = true;
    return true;
  }

  /** Apps with a live grant (OAuth refresh token or private token) on a portal. */
  appsInstalledOn(portalId: number): SandboxApp[] {
    const ids = new Set<number>();
    for (const r of this.refreshTokens.values()) if (r.portalId === portalId && !r.revoked) ids.add(r.appId);
    for (const t of this.accessTokens.values()) if (t.kind === 'private' && t.portalId === portalId && !t.revoked) ids.add(t.appId);
    return [...ids].map((id) => this.apps.get(id)).filter((a): a is SandboxApp => a !== undefined);
  }

  clear(): void {
    this.apps.clear();
    this.appsByClientId.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }
}
