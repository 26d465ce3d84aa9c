import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '@hubsync/config';
import { NatsReadinessModule, ObservabilityModule, PostgresReadinessModule } from '@hubsync/observability';
import { dataSourceOptions } from '@hubsync/persistence';
import { MapperConfig, SERVICE_NAME } from './config/mapper.config';
import { MapperModule } from './mapper.module';

/** mapper: mirror upserts and Stanna/Exante mapping. Feature modules are added to `imports`. */
@Module({})
export class AppModule {
  static forRoot(config: MapperConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME, logLevel: config.LOG_LEVEL }),
        // Migrations are applied by the launcher, the test harness or the migrate job, never here.
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions({ databaseUrl: config.DATABASE_URL, applicationName: SERVICE_NAME }),
            autoLoadEntities: true,
            retryAttempts: 5,
            retryDelay: 1_000,
          }),
        }),
        PostgresReadinessModule,
        NatsReadinessModule.forRoot({ natsUrl: config.NATS_URL, serviceName: SERVICE_NAME }),
        // Feature modules:
        MapperModule.forRoot({
          completionCheckMs: config.MAPPER_COMPLETION_CHECK_MS,
          batchRetentionDays: config.MAPPER_BATCH_RETENTION_DAYS,
          remapPollMs: config.MAPPER_REMAP_POLL_MS,
          remapPageSize: config.MAPPER_REMAP_PAGE_SIZE,
          viewMaxColumns: config.MAPPER_VIEW_MAX_COLUMNS,
          sweepDeletesUnseen: config.MAPPER_SWEEP_DELETES_UNSEEN,
          statementTimeoutMs: config.MAPPER_STATEMENT_TIMEOUT_MS,
          analyzeFirstRows: config.MAPPER_ANALYZE_FIRST_ROWS,
        }),
      ],
    };
  }
}
