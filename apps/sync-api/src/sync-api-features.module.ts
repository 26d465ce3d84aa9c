import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiKeysModule } from '@hubsync/api-keys';
import { ConnectionsReader } from './connections/connections.reader';
import { EltSyncsController, EltStreamsController } from './elt/elt-syncs.controller';
import { EltSyncsService } from './elt/elt-syncs.service';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { MappingsController } from './mappings/mappings.controller';
import { MappingsService } from './mappings/mappings.service';
import { OperatorController } from './operator/operator.controller';
import { OperatorService } from './operator/operator.service';
import { SyncEventStreamService } from './operator/sync-event-stream.service';
import { SchedulerService } from './schedules/scheduler.service';
import { WebhookSubscriptionsController } from './webhooks/webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhooks/webhook-subscriptions.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import { FiltersService } from './filters/filters.service';
import { ApiRateLimitGuard } from './http/api-rate-limit.guard';
import { ErrorBodyFilter } from './http/error-body.filter';
import { DEFAULT_SYNC_API_SETTINGS, SYNC_API_SETTINGS, SyncApiSettings } from './http/settings';
import { RequestValidationPipe } from './http/validation.pipe';
import { HubspotSyncController } from './hubspot-sync/hubspot-sync.controller';
import { HubspotSyncService } from './hubspot-sync/hubspot-sync.service';
import { PipelinesReader } from './hubspot-sync/pipelines.reader';
import { StagesService } from './hubspot-sync/stages.service';
import { RunsReader } from './runs/runs.reader';
import { StannaController } from './stanna/stanna.controller';
import { StannaService } from './stanna/stanna.service';
import { JobQueue } from './work/job-queue.service';
import { PortalWorkNotifier } from './work/portal-work.notifier';
import { SyncEventsService } from './work/sync-events.service';
import { SyncStarter } from './work/sync-starter.service';

/**
 * Everything sync-api serves. Needs a TypeORM DataSource (TypeOrmModule.forRoot) and, for "portal
 * has work" notices, MessagingModule's JetStreamPublisher (without it jobs wait for the fetchers'
 * adoption sweep).
 */
@Module({})
export class SyncApiFeaturesModule {
  static forRoot(settings: Partial<SyncApiSettings> = {}): DynamicModule {
    const resolved: SyncApiSettings = { ...DEFAULT_SYNC_API_SETTINGS, ...settings };
    return {
      module: SyncApiFeaturesModule,
      imports: [ApiKeysModule.withCache({ ttlMs: resolved.apiKeyCacheMs })],
      controllers: [
        HubspotSyncController,
        StannaController,
        OperatorController,
        MappingsController,
        EltSyncsController,
        EltStreamsController,
        WebhooksController,
        WebhookSubscriptionsController,
        ApiKeysController,
      ],
      providers: [
        { provide: SYNC_API_SETTINGS, useValue: resolved },
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        ApiRateLimitGuard,
        ConnectionsReader,
        RunsReader,
        JobQueue,
        PortalWorkNotifier,
        SyncEventsService,
        SyncStarter,
        FiltersService,
        PipelinesReader,
        StagesService,
        HubspotSyncService,
        StannaService,
        EltSyncsService,
        SchedulerService,
        WebhooksService,
        WebhookSubscriptionsService,
        OperatorService,
        SyncEventStreamService,
        MappingsService,
      ],
    };
  }
}
