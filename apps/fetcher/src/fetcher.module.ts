import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@hubsync/messaging';
import { CheckpointsRepository } from './checkpoints/checkpoints.repository';
import { ObjectRunsRepository } from './checkpoints/object-runs.repository';
import { FetcherConfig, SERVICE_NAME } from './config/fetcher.config';
import { DriverFactory } from './drivers/driver.factory';
import { DriverRegistry } from './drivers/driver-registry.service';
import { FleetService } from './drivers/fleet.service';
import { FetchStore } from './fetch/fetch-store';
import { JobsRepository } from './jobs/jobs.repository';
import { PortalWorkHandler } from './jobs/portal-work.handler';
import { FetcherMetrics } from './metrics/fetcher-metrics';
import { OutputPublisher } from './output/output-publisher';
import { PortalsRepository } from './portals/portals.repository';
import { FetcherSettings } from './settings/fetcher-settings';
import { FingerprintsRepository } from './strategies/associations/fingerprints.repository';
import { KnownIdsRepository } from './strategies/deletes/known-ids.repository';
import { RunIdsRepository } from './strategies/exante/run-ids.repository';

/**
 * The fetcher's features (issue 5): portal-work notices, portal drivers with leases, strategies,
 * checkpoints and output. MessagingModule provides NATS, the JetStream publisher, the requester for
 * auth-gateway and KV leases (bucket TTL = LEASE_TTL_MS).
 */
@Module({})
export class FetcherModule {
  static forRoot(config: FetcherConfig): DynamicModule {
    const settings = FetcherSettings.fromConfig(config);
    return {
      module: FetcherModule,
      imports: [
        MessagingModule.forRoot({
          natsUrl: config.NATS_URL,
          serviceName: SERVICE_NAME,
          requestTimeoutMs: config.AUTH_REQUEST_TIMEOUT_MS,
          leases: { bucket: settings.leaseBucket, ttlMs: settings.leaseTtlMs },
        }),
      ],
      controllers: [PortalWorkHandler],
      providers: [
        { provide: FetcherSettings, useValue: settings },
        CheckpointsRepository,
        ObjectRunsRepository,
        JobsRepository,
        PortalsRepository,
        KnownIdsRepository,
        FingerprintsRepository,
        RunIdsRepository,
        FetchStore,
        OutputPublisher,
        FetcherMetrics,
        FleetService,
        DriverFactory,
        DriverRegistry,
      ],
      exports: [DriverRegistry],
    };
  }
}
