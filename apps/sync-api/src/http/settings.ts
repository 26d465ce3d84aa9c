/**
 * Settings the sync-api features read, filled from the app's validated config (config/) or set
 * directly by tests. Every time constant tests need short is here.
 */
export interface SyncApiSettings {
  /** HubSpot app client secret: the key of webhook signatures v3. */
  hubspotClientSecret?: string;
  /** Where HubSpot's API (and the sandbox) answers; used for webhook subscription management. */
  hubspotApiBaseUrl: string;
  /** The HubSpot app whose webhook subscriptions POST …/webhooks/subscribe manages. */
  hubspotAppId?: string;
  /** Developer API key for HubSpot's webhooks API (`hapikey`). */
  hubspotDeveloperApiKey?: string;
  /**
   * The public URL HubSpot calls for webhooks (the exact URL it signs). When unset, the URL is
   * rebuilt from the request (Host / X-Forwarded-* headers).
   */
  webhookPublicUrl?: string;
  /** Requests per API key per minute (429 with Retry-After beyond). */
  apiRateLimitPerMinute: number;
  /**
   * How long an authenticated key and its organization lookups are reused in this process (0 = off).
   * A key revoked on another replica (or by the admin CLI) stops working within this bound.
   */
  apiKeyCacheMs: number;
  /** How often each replica looks for due schedules. */
  schedulerTickMs: number;
  schedulerEnabled: boolean;
  /** How long GET …/sync/stages (and stage validation) waits for a pipelines job to fill an empty mirror. */
  stagesWaitMs: number;
  /** Poll interval of the server-sent events stream. */
  ssePollMs: number;
  /** Webhook event ids are kept this long for de-duplication (HubSpot retries for up to a day or more). */
  webhookEventRetentionHours: number;
}

export const SYNC_API_SETTINGS = Symbol('SYNC_API_SETTINGS');

export const DEFAULT_SYNC_API_SETTINGS: SyncApiSettings = {
  hubspotApiBaseUrl: 'https://api.hubapi.com',
  apiRateLimitPerMinute: 600,
  apiKeyCacheMs: 5_000,
  schedulerTickMs: 5_000,
  schedulerEnabled: true,
  stagesWaitMs: 10_000,
  ssePollMs: 1_000,
  webhookEventRetentionHours: 72,
};
