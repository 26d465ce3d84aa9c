import { BaseServiceConfig, IsHttpUrl } from '@hubsync/config';

export const SERVICE_NAME = 'fetcher';

/**
 * fetcher configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class FetcherConfig extends BaseServiceConfig {
  override PORT = 3002;

  /** HubSpot API host (the sandbox in dev/tests). */
  @IsHttpUrl()
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';
}
