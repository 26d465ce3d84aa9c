import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TokenStore } from './token-store';

/**
 * After TOKEN_ENCRYPTION_KEY changes (the old key moved to TOKEN_ENCRYPTION_KEYS_OLD), re-encrypts
 * every token row still under an old key, in the background after boot, so the old key can be
 * dropped once `integration.tokens` has no row with its key id. Rows locked by a refresh are skipped
 * (the refresh writes them under the current key anyway).
 */
@Injectable()
export class KeyRotationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KeyRotationService.name);
  private stopped = false;
  private running?: Promise<void>;

  constructor(private readonly store: TokenStore) {}

  onApplicationBootstrap(): void {
    this.running = this.rotateAll().then(() => undefined, (error) => this.logger.error(`Token key rotation stopped: ${(error as Error).message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  async rotateAll(): Promise<number> {
    let rotated = 0;
    const seen = new Set<string>();
    while (!this.stopped) {
      const ids = (await this.store.staleKeyConnectionIds(100)).filter((id) => !seen.has(id));
      if (ids.length === 0) break;
      for (const id of ids) {
        if (this.stopped) break;
        seen.add(id);
        if (await this.store.reencrypt(id)) rotated++;
      }
    }
    if (rotated > 0) this.logger.log(`Re-encrypted the tokens of ${rotated} connection(s) under the current key`);
    return rotated;
  }
}
