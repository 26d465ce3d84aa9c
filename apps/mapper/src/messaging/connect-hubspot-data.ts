import { INestApplication } from '@nestjs/common';
import { MAPPER_DATA_CONSUMER } from '@hubsync/contracts';
import { JetStreamServer, PgDeadLetterStore } from '@hubsync/messaging';
import { MapperConfig, SERVICE_NAME } from '../config/mapper.config';

/** The JetStream consumer of HubSpot data (`MAPPER_DATA_CONSUMER`), handled by HubspotDataController. */
export function connectHubspotData(app: INestApplication, config: MapperConfig): void {
  app.connectMicroservice(
    {
      strategy: new JetStreamServer({
        natsUrl: config.NATS_URL,
        serviceName: SERVICE_NAME,
        consumers: [MAPPER_DATA_CONSUMER],
        deadLetters: PgDeadLetterStore.fromUrl(config.DATABASE_URL),
        overrides: { ackWaitMs: config.MAPPER_ACK_WAIT_MS, maxConcurrency: config.MAPPER_MAX_CONCURRENCY },
      }),
    },
    { inheritAppConfig: true },
  );
}
