import { DynamicModule, Module } from '@nestjs/common';
import { AssociationBatchService, ASSOCIATION_OPTIONS } from './batches/association-batch.service';
import { RecordBatchService } from './batches/record-batch.service';
import { ReferenceDataService } from './batches/reference-data.service';
import { DATABASE_OPTIONS, MapperDatabase } from './database/mapper-database';
import { ExanteCatalogRepository } from './exante/exante-catalog.repository';
import { ExanteMapper } from './exante/exante.mapper';
import { HubspotDataController } from './messaging/hubspot-data.controller';
import { MirrorAssociationsRepository } from './mirror/mirror-associations.repository';
import { MirrorMetadataRepository } from './mirror/mirror-metadata.repository';
import { MirrorObjectsRepository } from './mirror/mirror-objects.repository';
import { ModelMapperService } from './models/model-mapper.service';
import { OrgSettingsRepository } from './models/org-settings.repository';
import { COMPLETION_OPTIONS, CompletionSweeperService } from './progress/completion-sweeper.service';
import { ObjectRunResultsRepository } from './progress/object-run-results.repository';
import { ProcessedBatchesRepository } from './progress/processed-batches.repository';
import { SkippedRecordsRepository } from './progress/skipped-records.repository';
import { RemapRequestsRepository } from './remap/remap-requests.repository';
import { REMAP_OPTIONS, RemapService } from './remap/remap.service';
import { StannaActivitiesMapper } from './stanna/stanna-activities.mapper';
import { StannaClientsMapper } from './stanna/stanna-clients.mapper';
import { StannaDealsMapper } from './stanna/stanna-deals.mapper';
import { StannaHealthMapper } from './stanna/stanna-health.mapper';
import { StannaStakeholdersMapper } from './stanna/stanna-stakeholders.mapper';
import { TABLE_STATISTICS_OPTIONS, TableStatisticsService } from './statistics/table-statistics.service';
import { DestinationRepository } from './typed-views/destination.repository';
import { TYPED_VIEW_OPTIONS, TypedViewsService } from './typed-views/typed-views.service';

export interface MapperModuleOptions {
  completionCheckMs: number;
  batchRetentionDays: number;
  remapPollMs: number;
  remapPageSize: number;
  viewMaxColumns: number;
  sweepDeletesUnseen: boolean;
  statementTimeoutMs?: number;
  /** Rows of one kind an org writes before the mapper first ANALYZEs its tables (then 4×, 16×…); 0 or absent = never. */
  analyzeFirstRows?: number;
  /** Without the JetStream controller (tests drive the services directly). */
  withController?: boolean;
}

export const MAPPER_SERVICES = [
  MapperDatabase,
  ProcessedBatchesRepository,
  ObjectRunResultsRepository,
  SkippedRecordsRepository,
  CompletionSweeperService,
  MirrorObjectsRepository,
  MirrorMetadataRepository,
  MirrorAssociationsRepository,
  OrgSettingsRepository,
  StannaClientsMapper,
  StannaStakeholdersMapper,
  StannaDealsMapper,
  StannaActivitiesMapper,
  StannaHealthMapper,
  ExanteCatalogRepository,
  ExanteMapper,
  ModelMapperService,
  DestinationRepository,
  TypedViewsService,
  RemapRequestsRepository,
  RemapService,
  RecordBatchService,
  AssociationBatchService,
  ReferenceDataService,
  TableStatisticsService,
];

/** The mapper's features: mirror, typed views, Stanna and Exante models, progress and remapping. Needs a TypeORM DataSource. */
@Module({})
export class MapperModule {
  static forRoot(options: MapperModuleOptions): DynamicModule {
    return {
      module: MapperModule,
      controllers: options.withController === false ? [] : [HubspotDataController],
      providers: [
        ...MAPPER_SERVICES,
        { provide: COMPLETION_OPTIONS, useValue: { intervalMs: options.completionCheckMs, batchRetentionDays: options.batchRetentionDays } },
        { provide: REMAP_OPTIONS, useValue: { pollIntervalMs: options.remapPollMs, pageSize: options.remapPageSize } },
        { provide: TYPED_VIEW_OPTIONS, useValue: { maxPropertiesPerView: options.viewMaxColumns } },
        { provide: DATABASE_OPTIONS, useValue: { statementTimeoutMs: options.statementTimeoutMs ?? 0 } },
        { provide: TABLE_STATISTICS_OPTIONS, useValue: { firstAnalyzeRows: options.analyzeFirstRows ?? 0 } },
        { provide: ASSOCIATION_OPTIONS, useValue: { sweepDeletesUnseen: options.sweepDeletesUnseen } },
      ],
      exports: MAPPER_SERVICES,
    };
  }
}
