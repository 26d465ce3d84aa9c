import { Injectable, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import { sendHubSpotError } from '../http/hubspot-exception.filter';
import { HubSpotError, expiredAuthentication, invalidAuthentication } from '../http/hubspot-error';
import { SandboxRequest } from '../http/request-context';
import { Knobs } from '../state/knobs';
import { SandboxState } from '../state/sandbox-state.service';

/** URLs above ~8 KB answer 414 (Airbyte #3977/#33528, dlt #305 in HUBSPOT-FACTS.md). */
export const MAX_URL_LENGTH = 8192;

const SEARCH_PATH = /^\/crm\/v3\/objects\/[^/]+\/search\/?$/;
const UNAUTHENTICATED = [/^\/oauth\//];

/**
 * Front door of every HubSpot route: URL length, bearer-token authentication, request counting,
 * injected latency and faults, rate limits and their headers. Handlers check scopes themselves.
 */
@Injectable()
export class GatewayMiddleware implements NestMiddleware {
  constructor(private readonly state: SandboxState) {}

  use(req: SandboxRequest, res: Response, next: NextFunction): void {
    if (req.originalUrl.length > MAX_URL_LENGTH) {
      return sendHubSpotError(res, new HubSpotError(414, 'URI_TOO_LONG', `Request-URI Too Long: ${req.originalUrl.length} characters; the limit is about ${MAX_URL_LENGTH}.`));
    }
    const path = req.path;
    if (UNAUTHENTICATED.some((p) => p.test(path)) || path.startsWith('/webhooks/')) {
      return this.withFaults(req, res, this.state.knobs(), undefined, next);
    }
    let ctx;
    try {
      ctx = this.authenticate(req);
    } catch (error) {
      return sendHubSpotError(res, error as HubSpotError);
    }
    req.hubspot = ctx;
    const { portal, app } = ctx;
    const knobs = this.state.knobs(portal.portalId);
    const usage = this.state.usageOf(portal.portalId);
    const isSearch = req.method === 'POST' && SEARCH_PATH.test(path);
    const now = Date.now();
    usage.arrived(app.appId, isSearch, now);
    res.on('finish', () => usage.responded(app.appId, res.statusCode));
    this.withFaults(req, res, knobs, portal.portalId, () => {
      const storm = knobs.stormUntil > Date.now() && this.state.random.chance(knobs.stormRate);
      const admission = storm
        ? ({ ok: false, policy: isSearch ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING', headers: {} } as const)
        : usage.admit({ appId: app.appId, appType: app.appType, tier: app.tier, isSearch, accountTier: portal.tier, limitPacks: portal.limitPacks, timeZone: portal.timeZone }, knobs, Date.now());
      for (const [k, v] of Object.entries(admission.headers)) res.setHeader(k, v);
      if (!admission.ok) return sendHubSpotError(res, rateLimited(admission.policy, app.appId, portal.portalId));
      next();
    });
  }

  private authenticate(req: SandboxRequest) {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw invalidAuthentication();
    const token = this.state.auth.accessTokens.get(match[1].trim());
    if (!token || token.revoked) throw invalidAuthentication();
    if (token.expiresAt !== undefined && token.expiresAt <= Date.now()) throw expiredAuthentication(Date.now() - token.expiresAt);
    const portal = this.state.portal(token.portalId);
    const app = this.state.auth.apps.get(token.appId);
    if (!portal || !app) throw invalidAuthentication();
    return { portal, token, app };
  }

  /** Latency, connection resets and injected 5xx, then `next`. */
  private withFaults(req: SandboxRequest, res: Response, knobs: Knobs, portalId: number | undefined, next: () => void): void {
    const run = () => {
      const random = this.state.random;
      if (random.chance(knobs.resetRate)) {
        if (portalId !== undefined) this.state.usageOf(portalId).counters.connectionResets++;
        req.socket.destroy();
        return;
      }
      for (const code of ['500', '502', '503', '504'] as const) {
        if (random.chance(knobs.errorRates[code])) {
          if (portalId !== undefined) this.state.usageOf(portalId).counters.injectedErrors++;
          return sendInjectedError(res, Number(code), knobs.htmlGatewayErrors);
        }
      }
      next();
    };
    const delay = latency(knobs, this.state.random.normal());
    if (delay > 0) setTimeout(run, delay);
    else run();
  }
}

/** Log-normal latency from median and p99 (z(0.99) ≈ 2.326). */
function latency(knobs: Knobs, z: number): number {
  if (knobs.latencyMedianMs <= 0) return 0;
  const median = knobs.latencyMedianMs;
  const p99 = Math.max(knobs.latencyP99Ms, median);
  const sigma = Math.log(p99 / median) / 2.326;
  return Math.min(60_000, median * Math.exp(sigma * z));
}

/**
 * 429 bodies (HubSpot usage guidelines; SDK RetryDecorator keys on `policyName` and the search
 * message): TEN_SECONDLY_ROLLING / DAILY with `errorType: RATE_LIMIT`, `category: RATE_LIMITS`;
 * the search throttle says "You have reached your secondly limit.".
 */
export function rateLimited(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY', appId: number, portalId: number): HubSpotError {
  const message =
    policy === 'TEN_SECONDLY_ROLLING' ? 'You have reached your ten_secondly_rolling limit.'
      : policy === 'DAILY' ? 'You have reached your daily limit.'
        : 'You have reached your secondly limit.';
  return new HubSpotError(429, 'RATE_LIMITS', message, {
    errorType: 'RATE_LIMIT',
    policyName: policy,
    groupName: `publicapi:${appId}:${portalId}`,
  });
}

function sendInjectedError(res: Response, status: number, html: boolean): void {
  if (html && status !== 500) {
    res.status(status).type('text/html').send(`<html><head><title>${status}</title></head><body><h1>${status}</h1><p>The server could not complete the request.</p></body></html>`);
    return;
  }
  const messages: Record<number, string> = { 500: 'internal error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  res.status(status).type('application/json').send(JSON.stringify({ status: 'error', message: messages[status], correlationId: randomUUID(), category: status === 500 ? 'INTERNAL_ERROR' : 'SERVICE_UNAVAILABLE' }));
}
