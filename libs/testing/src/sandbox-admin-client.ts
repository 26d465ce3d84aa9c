/**
 * HTTP client of the HubSpot sandbox's admin API (`/__admin/*`, see apps/hubspot-sandbox/README.md).
 * For tests, benchmarks, chaos runs and the demo only — services never hold the admin token.
 */
export const SANDBOX_ADMIN_HEADER = 'x-sandbox-admin-token';

export type SandboxAppType = 'public' | 'private';
export type SandboxAppTier = 'free' | 'starter' | 'professional' | 'enterprise' | 'limit-pack';
export type SandboxAccountTier = 'free' | 'starter' | 'professional' | 'enterprise';

export interface SandboxPortal {
  portalId: number;
  timeZone: string;
  currency: string;
  tier: SandboxAccountTier;
  limitPacks: number;
  counts: Record<string, { total: number; live: number; archived: number }>;
  customObjects: Array<{ objectTypeId: string; fullyQualifiedName: string }>;
}

export interface SandboxAppCredentials {
  appId: number;
  appType: SandboxAppType;
  tier: SandboxAppTier;
  clientId: string;
  clientSecret: string;
  /** For the webhooks management API (`?hapikey=`). */
  developerApiKey: string;
  redirectUris: string[];
  scopes: string[];
  installPortalId?: number;
  /** Private apps created with installPortalId: their token. */
  token?: string;
}

export interface SandboxCounters {
  requests: number;
  http429: number;
  maxWindowRequests: number;
  searchRequests: number;
  maxSearchPerSecond: number;
  tokenGrants: number;
  tokenRefreshes: number;
  injectedErrors: number;
  connectionResets: number;
  byStatus: Record<string, number>;
  dailyUsed: number;
  perApp: Record<string, { requests: number; http429: number; maxWindowRequests: number }>;
}

export interface SandboxTruth {
  objectTypeId: string;
  objectType: string;
  total: number;
  live: number;
  archived: number;
  /** sha256 hex over `${id}:${updatedAtEpochMs}:${archived ? 1 : 0}\n` in ascending id order. */
  checksum: string;
  records?: Array<{ id: string; updatedAt: string; updatedAtMs: number; archived: boolean }>;
}

export interface SandboxAssociationsTruth {
  fromObjectTypeId: string;
  toObjectTypeId: string;
  count: number;
  /** sha256 hex over `${fromId}:${toId}:${typeIds comma-joined}\n` ordered by fromId, toId. */
  checksum: string;
  pairs?: Array<{ fromId: string; toId: string; typeIds: number[] }>;
}

export interface SandboxSeedOptions {
  seed: number;
  /** Records per object type name (contacts, companies, deals, tickets, calls, …, or a custom object name). */
  sizes?: Record<string, number>;
  /** Custom object types to create, each with a record count. */
  customObjects?: Array<{ name: string; count: number; properties?: number }>;
  /** Extra custom properties per standard type (e.g. `{ contacts: 300 }` for "many props"). */
  extraProperties?: Record<string, number>;
  /** Deal pipelines in addition to the default one. */
  dealPipelines?: number;
  owners?: number;
  /** Share of contacts/companies with dirty data (missing domains, bad emails, duplicate domains). 0–1. */
  dirtyRate?: number;
  /** Gives this many records per listed type the SAME create and modify timestamp. */
  burst?: { objectType: string; count: number; at?: string | number };
  /** Spread this many records over the standard types in typical proportions (when `sizes` is absent). */
  total?: number;
  /** Time span the generated create dates cover (days before the anchor). */
  historyDays?: number;
  /** End of the generated history (epoch ms or ISO; default 2025-06-01 so a seed always gives the same data). */
  anchor?: string | number;
}

export interface SandboxSeedResult {
  portalId: number;
  seed: number;
  counts: Record<string, number>;
  associations: Record<string, number>;
  customObjects: Array<{ objectTypeId: string; fullyQualifiedName: string; name: string }>;
  burst?: { objectType: string; count: number; timestamp: string };
  millis: number;
}

export type SandboxKnobs = Record<string, unknown>;

export interface SandboxIssuedCredentials {
  accessTokens: Array<{ token: string; kind: 'oauth' | 'private'; appId: number; portalId: number; expiresAt: number | null; refreshToken: string | null; revoked: boolean }>;
  refreshTokens: Array<{ token: string; appId: number; portalId: number; revoked: boolean }>;
  authorizationCodes: Array<{ code: string; appId: number; portalId: number; used: boolean }>;
  apps: Array<{ appId: number; clientId: string; clientSecret: string; developerApiKey: string }>;
}

export class SandboxAdminError extends Error {
  constructor(readonly status: number, readonly body: unknown, route: string) {
    super(`sandbox admin ${route} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

export class SandboxAdminClient {
  constructor(readonly baseUrl: string, private readonly adminToken: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/__admin${path}`, {
      method,
      headers: { [SANDBOX_ADMIN_HEADER]: this.adminToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) throw new SandboxAdminError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  createPortal(options: { portalId?: number; timeZone?: string; currency?: string; tier?: SandboxAccountTier; limitPacks?: number } = {}): Promise<SandboxPortal> {
    return this.request('POST', '/portals', options);
  }

  portal(portalId: number): Promise<SandboxPortal> {
    return this.request('GET', `/portals/${portalId}`);
  }

  deletePortal(portalId: number): Promise<void> {
    return this.request('DELETE', `/portals/${portalId}`);
  }

  createApp(options: { appType: SandboxAppType; tier?: SandboxAppTier; redirectUris?: string[]; scopes?: string[]; installPortalId?: number }): Promise<SandboxAppCredentials> {
    return this.request('POST', '/apps', options);
  }

  /** Changes an app's scopes; a private app gets a new token and the old one stops working. */
  updateAppScopes(appId: number, scopes: string[]): Promise<{ appId: number; scopes: string[]; token?: string }> {
    return this.request('PATCH', `/apps/${appId}`, { scopes });
  }

  createPrivateAppToken(portalId: number, scopes: string[], tier: SandboxAppTier = 'professional'): Promise<{ token: string; appId: number; clientSecret: string; developerApiKey: string }> {
    return this.request('POST', `/portals/${portalId}/private-app-tokens`, { scopes, tier });
  }

  seed(portalId: number, options: SandboxSeedOptions): Promise<SandboxSeedResult> {
    return this.request('POST', `/portals/${portalId}/seed`, options);
  }

  /** `portalId` null = global knobs. Returns the effective knobs. */
  setKnobs(portalId: number | null, knobs: SandboxKnobs): Promise<SandboxKnobs> {
    return this.request('POST', portalId === null ? '/knobs' : `/portals/${portalId}/knobs`, knobs);
  }

  knobs(portalId: number | null = null): Promise<SandboxKnobs> {
    return this.request('GET', portalId === null ? '/knobs' : `/portals/${portalId}/knobs`);
  }

  truth(portalId: number, objectType: string, options: { records?: boolean } = {}): Promise<SandboxTruth> {
    return this.request('GET', `/portals/${portalId}/truth/${encodeURIComponent(objectType)}?records=${options.records ?? true}`);
  }

  associationsTruth(portalId: number, from: string, to: string, options: { pairs?: boolean } = {}): Promise<SandboxAssociationsTruth> {
    return this.request('GET', `/portals/${portalId}/associations-truth/${encodeURIComponent(from)}/${encodeURIComponent(to)}?pairs=${options.pairs ?? true}`);
  }

  counters(portalId: number): Promise<SandboxCounters> {
    return this.request('GET', `/portals/${portalId}/counters`);
  }

  resetCounters(portalId: number): Promise<SandboxCounters> {
    return this.request('DELETE', `/portals/${portalId}/counters`);
  }

  /** Direct CRM changes bypassing auth and limits (`immediate` skips the search lag). */
  mutate(
    portalId: number,
    objectType: string,
    changes: {
      create?: Array<{ properties: Record<string, string | null>; createdAt?: string | number; updatedAt?: string | number }>;
      update?: Array<{ id: string; properties: Record<string, string | null>; at?: string | number }>;
      archive?: string[];
      immediate?: boolean;
      source?: string;
    },
  ): Promise<{ created: string[]; updated: string[]; archived: string[] }> {
    return this.request('POST', `/portals/${portalId}/objects/${encodeURIComponent(objectType)}`, changes);
  }

  associations(
    portalId: number,
    changes: {
      add?: Array<{ fromType: string; fromId: string; toType: string; toId: string; typeIds?: number[]; label?: string }>;
      remove?: Array<{ fromType: string; fromId: string; toType: string; toId: string; typeIds?: number[] }>;
    },
  ): Promise<{ added: number; removed: number }> {
    return this.request('POST', `/portals/${portalId}/associations`, changes);
  }

  /** Starts (ratePerSecond > 0) or stops (0) live mode on a portal. */
  live(portalId: number, options: { ratePerSecond: number; seed?: number; mix?: Partial<Record<'create' | 'update' | 'archive' | 'associate' | 'dissociate', number>>; objectTypes?: string[] }): Promise<Record<string, unknown>> {
    return this.request('POST', `/portals/${portalId}/live`, options);
  }

  /** Live mode status: `{ running, ratePerSecond?, done?: {create, update, archive, associate, dissociate} }`. */
  liveStatus(portalId: number): Promise<{ running: boolean; ratePerSecond?: number; done?: Record<string, number> }> {
    return this.request('GET', `/portals/${portalId}/live`);
  }

  revokeRefreshToken(token: string): Promise<{ refreshTokenRevoked: boolean; accessTokenRevoked: boolean }> {
    return this.request('POST', '/oauth/revoke', { refreshToken: token });
  }

  revokeAccessToken(token: string): Promise<{ refreshTokenRevoked: boolean; accessTokenRevoked: boolean }> {
    return this.request('POST', '/oauth/revoke', { accessToken: token });
  }

  /** Every credential the sandbox issued (of one portal when given): for secret scans and grant revocation. */
  issued(portalId?: number): Promise<SandboxIssuedCredentials> {
    return this.request('GET', `/oauth/issued${portalId === undefined ? '' : `?portalId=${portalId}`}`);
  }

  /** Makes an OAuth access token expire now. */
  expireAccessToken(token: string): Promise<{ expired: boolean }> {
    return this.request('POST', '/oauth/expire', { accessToken: token });
  }

  setTokenLifetime(seconds: number, authCodeSeconds?: number): Promise<{ tokenLifetimeSeconds: number; authCodeLifetimeSeconds: number }> {
    return this.request('POST', '/oauth/token-lifetime', { seconds, ...(authCodeSeconds === undefined ? {} : { authCodeSeconds }) });
  }

  webhookDeliveries(appId: number): Promise<{ results: Array<Record<string, unknown>> }> {
    return this.request('GET', `/apps/${appId}/webhook-deliveries`);
  }

  reset(): Promise<{ reset: boolean }> {
    return this.request('POST', '/reset');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
