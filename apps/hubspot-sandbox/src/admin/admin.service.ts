import { Injectable } from '@nestjs/common';
import { AppTier, AppType } from '../auth/auth-registry';
import { CrmWriter } from '../crm/crm-writer.service';
import { ObjectTypeInfo, Portal } from '../crm/portal';
import { enumerationOptions } from '../crm/property-validation';
import { parseTime } from '../crm/search/filter-semantics';
import { HubSpotError, validationError } from '../http/hubspot-error';
import { parseKnobPatch } from '../state/knobs';
import { SandboxState } from '../state/sandbox-state.service';
import { associationTruth, objectTruth, portalCounts } from './ground-truth';

const APP_TIERS: AppTier[] = ['free', 'starter', 'professional', 'enterprise', 'limit-pack'];

function scopesOf(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) throw validationError(`${field} must be an array of scope strings`);
  return value as string[];
}

/** Admin operations (`/__admin/*`): for tests, benchmarks, chaos runs and the demo only. */
@Injectable()
export class AdminService {
  constructor(private readonly state: SandboxState, private readonly writer: CrmWriter) {}

  portalSummary(p: Portal) {
    return {
      portalId: p.portalId, timeZone: p.timeZone, currency: p.currency, tier: p.tier, limitPacks: p.limitPacks,
      counts: portalCounts(p), customObjects: p.customTypes().map((t) => ({ objectTypeId: t.objectTypeId, fullyQualifiedName: t.name })),
    };
  }

  createPortal(body: Record<string, unknown>) {
    const portal = this.state.createPortal({
      portalId: body['portalId'] === undefined ? undefined : Number(body['portalId']),
      timeZone: body['timeZone'] as string | undefined,
      currency: body['currency'] as string | undefined,
      tier: body['tier'] as Portal['tier'] | undefined,
      limitPacks: body['limitPacks'] === undefined ? undefined : Number(body['limitPacks']),
    });
    return this.portalSummary(portal);
  }

  createApp(body: Record<string, unknown>) {
    const appType = body['appType'] as AppType;
    if (appType !== 'public' && appType !== 'private') throw validationError('appType must be "public" or "private"');
    const tier = (body['tier'] as AppTier | undefined) ?? 'professional';
    if (!APP_TIERS.includes(tier)) throw validationError(`tier must be one of ${APP_TIERS.join(', ')}`);
    const redirectUris = scopesOf(body['redirectUris'], 'redirectUris');
    const scopes = scopesOf(body['scopes'], 'scopes');
    const installPortalId = body['installPortalId'] === undefined ? undefined : Number(body['installPortalId']);
    if (installPortalId !== undefined) this.state.requirePortal(installPortalId);
    const app = this.state.auth.createApp({ appType, tier, redirectUris, scopes, installPortalId });
    let token: string | undefined;
    if (appType === 'private' && installPortalId !== undefined) token = this.state.auth.issuePrivateToken(app, installPortalId, scopes).token;
    return {
      appId: app.appId, appType: app.appType, tier: app.tier, clientId: app.clientId, clientSecret: app.clientSecret,
      developerApiKey: app.developerApiKey, redirectUris: app.redirectUris, scopes: app.scopes, installPortalId, ...(token ? { token } : {}),
    };
  }

  /** A private app in the portal with these scopes and its static token. */
  createPrivateAppToken(portalId: number, body: Record<string, unknown>) {
    this.state.requirePortal(portalId);
    const tier = (body['tier'] as AppTier | undefined) ?? 'professional';
    if (!APP_TIERS.includes(tier)) throw validationError(`tier must be one of ${APP_TIERS.join(', ')}`);
    const scopes = scopesOf(body['scopes'], 'scopes');
    const app = this.state.auth.createApp({ appType: 'private', tier, scopes, installPortalId: portalId });
    const token = this.state.auth.issuePrivateToken(app, portalId, scopes);
    return { token: token.token, appId: app.appId, clientSecret: app.clientSecret, developerApiKey: app.developerApiKey };
  }

  /** Changing a private app's scopes rotates its token; the old one answers 401 from then on. */
  updateAppScopes(appId: number, body: Record<string, unknown>) {
    const app = this.state.auth.apps.get(appId);
    if (!app) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `app ${appId} does not exist`);
    const scopes = scopesOf(body['scopes'], 'scopes');
    if (app.appType === 'private') {
      if (!app.installPortalId) throw validationError('private app has no portal');
      return { appId, scopes, token: this.state.auth.issuePrivateToken(app, app.installPortalId, scopes).token };
    }
    app.scopes = scopes;
    return { appId, scopes };
  }

  setKnobs(portalId: number | null, body: unknown) {
    return this.state.setKnobs(portalId, parseKnobPatch(body));
  }

  setTokenLifetime(body: Record<string, unknown>) {
    const seconds = body['seconds'];
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) throw validationError('seconds must be a positive integer');
    this.state.tokenLifetimeSeconds = seconds;
    if (body['authCodeSeconds'] !== undefined) {
      const c = body['authCodeSeconds'];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) throw validationError('authCodeSeconds must be a positive integer');
      this.state.codeLifetimeSeconds = c;
    }
    return { tokenLifetimeSeconds: this.state.tokenLifetimeSeconds, authCodeLifetimeSeconds: this.state.codeLifetimeSeconds };
  }

  revoke(body: Record<string, unknown>) {
    const refresh = body['refreshToken'];
    const access = body['accessToken'];
    if (typeof refresh !== 'string' && typeof access !== 'string') throw validationError('give refreshToken or accessToken');
    return {
      refreshTokenRevoked: typeof refresh === 'string' ? this.state.auth.revokeRefreshToken(refresh) : false,
      accessTokenRevoked: typeof access === 'string' ? this.state.auth.revokeAccessToken(access) : false,
    };
  }

  /**
   * Every credential the sandbox ever issued (tokens, codes, app secrets), optionally of one portal:
   * secret-scanning tests search the database and logs for each; chaos runs revoke a grant by it.
   */
  issued(portalId?: number) {
    const auth = this.state.auth;
    const mine = (p: number) => portalId === undefined || p === portalId;
    return {
      accessTokens: [...auth.accessTokens.values()].filter((t) => mine(t.portalId)).map((t) => ({
        token: t.token, kind: t.kind, appId: t.appId, portalId: t.portalId, expiresAt: t.expiresAt ?? null, refreshToken: t.refreshToken ?? null, revoked: t.revoked,
      })),
      refreshTokens: [...auth.refreshTokens.values()].filter((t) => mine(t.portalId)).map((t) => ({ token: t.token, appId: t.appId, portalId: t.portalId, revoked: t.revoked })),
      authorizationCodes: [...auth.codes.values()].filter((c) => mine(c.portalId)).map((c) => ({ code: c.code, appId: c.appId, portalId: c.portalId, used: c.used })),
      apps: [...auth.apps.values()].map((a) => ({ appId: a.appId, clientId: a.clientId, clientSecret: a.clientSecret, developerApiKey: a.developerApiKey })),
    };
  }

  /** Makes an access token expire now (tests of refresh-on-expiry without waiting). */
  expireAccessToken(body: Record<string, unknown>) {
    const t = typeof body['accessToken'] === 'string' ? this.state.auth.accessTokens.get(body['accessToken'] as string) : undefined;
    if (!t || t.kind !== 'oauth') throw new HubSpotError(404, 'OBJECT_NOT_FOUND', 'no such OAuth access token');
    t.expiresAt = Date.now() - 1;
    return { expired: true };
  }

  type(portal: Portal, key: string): ObjectTypeInfo {
    const info = portal.resolveType(key);
    if (!info) throw validationError(`unknown object type "${key}"`);
    return info;
  }

  truth(portalId: number, type: string, includeRecords: boolean) {
    const portal = this.state.requirePortal(portalId);
    return objectTruth(this.type(portal, type), includeRecords);
  }

  associationsTruth(portalId: number, from: string, to: string, includePairs: boolean) {
    const portal = this.state.requirePortal(portalId);
    return associationTruth(portal, this.type(portal, from), this.type(portal, to), includePairs);
  }

  counters(portalId: number) {
    this.state.requirePortal(portalId);
    return this.state.usageOf(portalId).snapshot();
  }

  resetCounters(portalId: number) {
    this.state.requirePortal(portalId);
    this.state.usageOf(portalId).reset();
    return this.state.usageOf(portalId).snapshot();
  }

  /**
   * Direct CRM changes that bypass auth, scopes and limits: `{ create: [{properties, createdAt?}],
   * update: [{id, properties}], archive: [id], immediate?: boolean }` (immediate skips search lag).
   * createdAt/updatedAt accept epoch ms or ISO.
   */
  mutate(portalId: number, type: string, body: Record<string, unknown>) {
    const portal = this.state.requirePortal(portalId);
    const info = this.type(portal, type);
    const immediate = body['immediate'] === true;
    const source = typeof body['source'] === 'string' ? (body['source'] as string) : 'INTEGRATION';
    const created: string[] = [];
    const updated: string[] = [];
    const archived: string[] = [];
    const time = (v: unknown, field: string) => {
      if (v === undefined) return undefined;
      const t = parseTime(String(v));
      if (Number.isNaN(t)) throw validationError(`${field} must be epoch ms or ISO 8601`);
      return t;
    };
    for (const [i, c] of ((body['create'] as unknown[]) ?? []).entries()) {
      const input = c as Record<string, unknown>;
      const props = this.cleanProps(portal, info, input['properties'], `create[${i}].properties`);
      const at = time(input['createdAt'], `create[${i}].createdAt`);
      const row = this.writer.create(portal, info, props, { immediate, source, at });
      const updatedAt = time(input['updatedAt'], `create[${i}].updatedAt`);
      if (updatedAt !== undefined) info.table.setUpdatedAt(row, updatedAt);
      created.push(String(info.table.ids[row]));
    }
    for (const [i, u] of ((body['update'] as unknown[]) ?? []).entries()) {
      const input = u as Record<string, unknown>;
      const row = info.table.liveRow(String(input['id']));
      if (row < 0) throw validationError(`update[${i}]: ${info.name} ${String(input['id'])} does not exist`);
      this.writer.update(portal, info, row, this.cleanProps(portal, info, input['properties'], `update[${i}].properties`), { immediate, source, at: time(input['at'], `update[${i}].at`) });
      updated.push(String(input['id']));
    }
    for (const id of (body['archive'] as unknown[]) ?? []) {
      const row = info.table.liveRow(String(id));
      if (row >= 0 && this.writer.archive(portal, info, row, { immediate, source })) archived.push(String(id));
    }
    return { created, updated, archived };
  }

  /** Admin writes may set any defined property (read-only ones included), still type-checked loosely. */
  private cleanProps(portal: Portal, info: ObjectTypeInfo, raw: unknown, where: string): Record<string, string | null> {
    if (raw === undefined) return {};
    if (!raw || typeof raw !== 'object') throw validationError(`${where} must be an object`);
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (!info.properties.has(k)) throw validationError(`${where}: property "${k}" does not exist on ${info.name}`);
      const options = enumerationOptions(portal, info, k);
      if (options && v !== null && v !== '' && info.properties.get(k)?.fieldType !== 'checkbox' && !options.includes(String(v))) {
        throw validationError(`${where}.${k}: "${String(v)}" is not one of the allowed options`);
      }
      out[k] = v === null ? null : String(v);
    }
    return out;
  }

  /** `{ add: [{fromType, fromId, toType, toId, typeIds?, label?}], remove: [{fromType, fromId, toType, toId, typeIds?}] }`. */
  associations(portalId: number, body: Record<string, unknown>) {
    const portal = this.state.requirePortal(portalId);
    const edge = (raw: unknown, where: string) => {
      const e = raw as Record<string, unknown>;
      const from = this.type(portal, String(e['fromType']));
      const to = this.type(portal, String(e['toType']));
      const fromRow = from.table.liveRow(String(e['fromId']));
      const toRow = to.table.liveRow(String(e['toId']));
      if (fromRow < 0 || toRow < 0) throw validationError(`${where}: both records must exist`);
      let typeIds = Array.isArray(e['typeIds']) ? (e['typeIds'] as unknown[]).map(Number) : [];
      if (typeof e['label'] === 'string') typeIds = [...typeIds, portal.associationTypes.addLabel(from.objectTypeId, to.objectTypeId, e['label'] as string)];
      return { from, to, fromRow, toRow, typeIds };
    };
    let added = 0;
    let removed = 0;
    for (const [i, raw] of ((body['add'] as unknown[]) ?? []).entries()) {
      const e = edge(raw, `add[${i}]`);
      this.writer.associate(portal, e.from, e.fromRow, e.to, e.toRow, e.typeIds);
      added++;
    }
    for (const [i, raw] of ((body['remove'] as unknown[]) ?? []).entries()) {
      const e = edge(raw, `remove[${i}]`);
      if (this.writer.unassociate(portal, e.from, e.fromRow, e.to, e.toRow, e.typeIds.length ? e.typeIds : undefined)) removed++;
    }
    return { added, removed };
  }
}
