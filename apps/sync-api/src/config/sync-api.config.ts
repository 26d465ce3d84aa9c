import { IsBoolean, IsInt, IsNotEmpty, IsOptional, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvBoolean, IsHttpUrl } from '@hubsync/config';

export const SERVICE_NAME = 'sync-api';

/**
 * sync-api configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class SyncApiConfig extends BaseServiceConfig {
  override PORT = 3000;

  /** HubSpot API host (the sandbox in dev/tests); used for the webhooks API (subscriptions). */
  @IsHttpUrl()
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

  /** The HubSpot app's client secret: key of webhook signatures v3. Without it webhooks answer 503. */
  @IsOptional()
  @IsNotEmpty({ message: '$property must not be empty' })
  HUBSPOT_CLIENT_SECRET?: string;

  /** The HubSpot app whose webhook subscriptions POST /api/integrations/hubspot/webhooks/subscribe manages. */
  @IsOptional()
  @IsNotEmpty({ message: '$property must not be empty' })
  HUBSPOT_APP_ID?: string;

  /** Developer API key for HubSpot's webhooks API (`hapikey`). */
  @IsOptional()
  @IsNotEmpty({ message: '$property must not be empty' })
  HUBSPOT_DEVELOPER_API_KEY?: string;

  /** Public URL of POST /api/integrations/hubspot/webhooks as HubSpot calls it (the URL it signs). */
  @IsOptional()
  @IsHttpUrl()
  WEBHOOK_PUBLIC_URL?: string;

  /** Requests per API key per minute, per replica (429 with Retry-After beyond). */
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  API_RATE_LIMIT_PER_MINUTE = 600;

  /**
   * How long (ms) an authenticated API key and its organization lookups are reused per replica; a key
   * revoked elsewhere stops working within this bound (at once on the replica that revoked it). 0 = off.
   */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be between 0 and 60000' })
  @Max(60_000, { message: '$property must be between 0 and 60000' })
  API_KEY_CACHE_MS = 5_000;

  /** PostgreSQL connections this replica keeps at most (every request's queries share them). */
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be between 1 and 200' })
  @Max(200, { message: '$property must be between 1 and 200' })
  DATABASE_POOL_SIZE = 20;

  /** Whether this replica fires ELT sync schedules (any number of replicas may: each slot fires once). */
  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  SCHEDULER_ENABLED = true;

  /** How often each replica looks for due schedules. */
  @IsInt({ message: '$property must be an integer' })
  @Min(100, { message: '$property must be between 100 and 600000' })
  @Max(600_000, { message: '$property must be between 100 and 600000' })
  SCHEDULER_TICK_MS = 5_000;

  /** How long GET …/sync/stages waits for a pipelines fetch when the mirror has none yet. */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be between 0 and 60000' })
  @Max(60_000, { message: '$property must be between 0 and 60000' })
  STAGES_WAIT_MS = 10_000;

  /** Poll interval of the server-sent events stream (GET …/sync/events/stream). */
  @IsInt({ message: '$property must be an integer' })
  @Min(100, { message: '$property must be between 100 and 60000' })
  @Max(60_000, { message: '$property must be between 100 and 60000' })
  SSE_POLL_MS = 1_000;

  /** Webhook event ids are kept this long for de-duplication (HubSpot retries failed deliveries for hours). */
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  WEBHOOK_EVENT_RETENTION_HOURS = 72;
}
