import { PortalLimiter, PortalLimiterOptions } from '../limits/portal-limiter';
import { HubspotAppType, HubspotTier, rateLimitProfile } from '../limits/rate-limit-profile';
import { RetryPolicy, RetryPolicyOptions } from '../retry/retry-policy';
import { HubspotPortalClient } from './hubspot-portal.client';
import { AccessTokenSource, AttemptEvent, PortalTransport } from './portal-transport';

export interface PortalClientConfig {
  /** `HUBSPOT_API_BASE_URL`: https://api.hubapi.com, or the sandbox. */
  basePath: string;
  tokens: AccessTokenSource;
  appType: HubspotAppType;
  tier?: HubspotTier;
  limitPacks?: number;
  /** Share of every limit we use (default 0.8). */
  share?: number;
  searchShare?: number;
  timeZone?: string;
  windowMarginMs?: number;
  laneWeights?: PortalLimiterOptions['laneWeights'];
  retry?: RetryPolicyOptions;
  requestTimeoutMs?: number;
  maxUrlBytes?: number;
  onAttempt?: (event: AttemptEvent) => void;
}

/** Builds the limiter, transport and typed client of one portal from configuration. */
export function createPortalClient(config: PortalClientConfig): HubspotPortalClient {
  const limiter = new PortalLimiter({
    profile: rateLimitProfile(config.appType, config.tier, config.limitPacks),
    share: config.share,
    searchShare: config.searchShare,
    timeZone: config.timeZone,
    windowMarginMs: config.windowMarginMs,
    laneWeights: config.laneWeights,
  });
  const transport = new PortalTransport({
    basePath: config.basePath,
    tokens: config.tokens,
    limiter,
    retry: new RetryPolicy(config.retry),
    requestTimeoutMs: config.requestTimeoutMs,
    onAttempt: config.onAttempt,
  });
  return new HubspotPortalClient(transport, config.basePath, config.maxUrlBytes);
}
