import { BaseServiceConfig } from '@hubsync/config';

export const SERVICE_NAME = 'sync-api';

/**
 * sync-api configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class SyncApiConfig extends BaseServiceConfig {
  override PORT = 3000;
}
