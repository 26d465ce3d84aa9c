import { INestApplication } from '@nestjs/common';
import { FETCHER_WORK_CONSUMER } from '@hubsync/contracts';
import { JetStreamServer, PgDeadLetterStore } from '@hubsync/messaging';
import { FetcherConfig, SERVICE_NAME } from '../config/fetcher.config';

/**
 * The JetStream consumer of "portal has work" notices (`FETCHER_WORK_CONSUMER`), handled by
 * PortalWorkHandler. Started by bootstrapService with the other microservices.
 */
export function connectPortalWork(app: INestApplication, config: FetcherConfig): void {
  app.connectMicroservice(
    {
      strategy: new JetStreamServer({
        natsUrl: config.NATS_URL,
        serviceName: SERVICE_NAME,
        consumers: [FETCHER_WORK_CONSUMER],
        deadLetters: PgDeadLetterStore.fromUrl(config.DATABASE_URL),
        overrides: { ackWaitMs: config.WORK_ACK_WAIT_MS },
      }),
    },
    { inheritAppConfig: true },
  );
}
