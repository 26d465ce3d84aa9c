import { BaseServiceConfig } from '@hubsync/config';

export const SERVICE_NAME = 'mapper';

/**
 * mapper configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class MapperConfig extends BaseServiceConfig {
  override PORT = 3003;
}
