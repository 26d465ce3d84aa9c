import { SyncApiSettings } from '../http/settings';
import { SyncApiConfig } from './sync-api.config';

/** The features' settings from the validated environment. */
export function syncApiSettingsFrom(config: SyncApiConfig): SyncApiSettings {
  return {
    hubspotApiBaseUrl: config.HUBSPOT_API_BASE_URL,
    hubspotClientSecret: config.HUBSPOT_CLIENT_SECRET,
    hubspotAppId: config.HUBSPOT_APP_ID,
    hubspotDeveloperApiKey: config.HUBSPOT_DEVELOPER_API_KEY,
    webhookPublicUrl: config.WEBHOOK_PUBLIC_URL,
    apiRateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    apiKeyCacheMs: config.API_KEY_CACHE_MS,
    schedulerEnabled: config.SCHEDULER_ENABLED,
    schedulerTickMs: config.SCHEDULER_TICK_MS,
    stagesWaitMs: config.STAGES_WAIT_MS,
    ssePollMs: config.SSE_POLL_MS,
    webhookEventRetentionHours: config.WEBHOOK_EVENT_RETENTION_HOURS,
  };
}
