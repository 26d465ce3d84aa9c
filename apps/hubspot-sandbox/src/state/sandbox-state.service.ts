import { Injectable } from '@nestjs/common';
import { AuthRegistry } from '../auth/auth-registry';
import { SandboxConfig } from '../config/sandbox.config';
import { AccountTier, Portal } from '../crm/portal';
import { PortalUsage } from '../gateway/usage-tracker';
import { HubSpotError, validationError } from '../http/hubspot-error';
import { Knobs, defaultKnobs, mergeKnobs } from './knobs';
import { Random } from './random';

/** The sandbox's whole in-memory world: portals, apps and tokens, knobs, usage. */
@Injectable()
export class SandboxState {
  readonly portals = new Map<number, Portal>();
  readonly auth = new AuthRegistry();
  private readonly usage = new Map<number, PortalUsage>();
  private readonly portalKnobs = new Map<number, Partial<Knobs>>();
  private globalKnobs: Knobs;
  tokenLifetimeSeconds: number;
  codeLifetimeSeconds: number;
  random: Random;
  private nextPortalId = 20_000_001;

  constructor(private readonly config: SandboxConfig) {
    this.globalKnobs = this.knobsFromConfig();
    this.tokenLifetimeSeconds = config.SANDBOX_TOKEN_LIFETIME_SECONDS;
    this.codeLifetimeSeconds = config.SANDBOX_AUTH_CODE_LIFETIME_SECONDS;
    this.random = new Random(config.SANDBOX_RANDOM_SEED);
  }

  private knobsFromConfig(): Knobs {
    const c = this.config;
    const rate = c.SANDBOX_ERROR_RATE / 4;
    return mergeKnobs(defaultKnobs(), {
      limitsEnabled: c.SANDBOX_LIMITS,
      searchLagMaxSeconds: c.SANDBOX_SEARCH_LAG_SECONDS,
      latencyMedianMs: c.SANDBOX_LATENCY_MEDIAN_MS,
      latencyP99Ms: c.SANDBOX_LATENCY_P99_MS,
      errorRates: { '500': rate, '502': rate, '503': rate, '504': rate },
      resetRate: c.SANDBOX_RESET_RATE,
      typeGlitchRate: c.SANDBOX_TYPE_GLITCH_RATE,
      autoApprove: c.SANDBOX_OAUTH_AUTO_APPROVE,
      htmlGatewayErrors: c.SANDBOX_GATEWAY_ERROR_FORMAT === 'html',
    });
  }

  createPortal(options: { portalId?: number; timeZone?: string; currency?: string; tier?: AccountTier; limitPacks?: number }): Portal {
    const portalId = options.portalId ?? this.nextPortalId++;
    if (!Number.isInteger(portalId) || portalId <= 0) throw validationError('portalId must be a positive integer');
    if (this.portals.has(portalId)) throw new HubSpotError(409, 'CONFLICT', `portal ${portalId} already exists`);
    if (options.timeZone) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone });
      } catch {
        throw validationError(`timeZone "${options.timeZone}" is not an IANA time zone`);
      }
    }
    if (options.currency !== undefined && !/^[A-Z]{3}$/.test(options.currency)) throw validationError('currency must be a 3-letter ISO code');
    if (options.tier !== undefined && !['free', 'starter', 'professional', 'enterprise'].includes(options.tier)) {
      throw validationError('tier must be free, starter, professional or enterprise');
    }
    const portal = new Portal({ ...options, portalId });
    this.portals.set(portalId, portal);
    this.usage.set(portalId, new PortalUsage());
    return portal;
  }

  portal(portalId: number): Portal | undefined {
    return this.portals.get(portalId);
  }

  requirePortal(portalId: number): Portal {
    const p = this.portals.get(portalId);
    if (!p) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `portal ${portalId} does not exist`);
    return p;
  }

  usageOf(portalId: number): PortalUsage {
    let u = this.usage.get(portalId);
    if (!u) {
      u = new PortalUsage();
      this.usage.set(portalId, u);
    }
    return u;
  }

  knobs(portalId?: number): Knobs {
    const override = portalId === undefined ? undefined : this.portalKnobs.get(portalId);
    return override ? mergeKnobs(this.globalKnobs, override) : this.globalKnobs;
  }

  setKnobs(portalId: number | null, patch: Partial<Knobs>): Knobs {
    if (portalId === null) {
      this.globalKnobs = mergeKnobs(this.globalKnobs, patch);
      return this.globalKnobs;
    }
    this.requirePortal(portalId);
    const current = this.portalKnobs.get(portalId) ?? {};
    this.portalKnobs.set(portalId, { ...current, ...patch, ...(patch.search ? { search: { ...(current.search ?? {}), ...patch.search } as Knobs['search'] } : {}) });
    return this.knobs(portalId);
  }

  /** Back to a fresh sandbox: no portals, apps, tokens; knobs from the environment. */
  reset(): void {
    this.portals.clear();
    this.usage.clear();
    this.portalKnobs.clear();
    this.auth.clear();
    this.globalKnobs = this.knobsFromConfig();
    this.tokenLifetimeSeconds = this.config.SANDBOX_TOKEN_LIFETIME_SECONDS;
    this.codeLifetimeSeconds = this.config.SANDBOX_AUTH_CODE_LIFETIME_SECONDS;
    this.random = new Random(this.config.SANDBOX_RANDOM_SEED);
    this.nextPortalId = 20_000_001;
  }
}
