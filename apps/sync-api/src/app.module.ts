import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '@hubsync/config';
import { NatsReadinessModule, ObservabilityModule, PostgresReadinessModule } from '@hubsync/observability';
import { MessagingModule } from '@hubsync/messaging';
import { dataSourceOptions } from '@hubsync/persistence';
import { SyncApiConfig, SERVICE_NAME } from './config/sync-api.config';
import { syncApiSettingsFrom } from './config/sync-api-settings';
import { SyncApiFeaturesModule } from './sync-api-features.module';

/** sync-api: the public REST API. Feature modules are added to `imports`. */
@Module({})
export class AppModule {
  static forRoot(config: SyncApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ serviceName: SERVICE_NAME, logLevel: config.LOG_LEVEL }),
        // Migrations are applied by the launcher, the test harness or the migrate job, never here.
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions({ databaseUrl: config.DATABASE_URL, applicationName: SERVICE_NAME, poolSize: config.DATABASE_POOL_SIZE }),
            autoLoadEntities: true,
            retryAttempts: 5,
            retryDelay: 1_000,
          }),
        }),
        PostgresReadinessModule,
        NatsReadinessModule.forRoot({ natsUrl: config.NATS_URL, serviceName: SERVICE_NAME }),
        // Feature modules:
        // JetStream publisher for "portal has work" notices (DESIGN §5).
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, serviceName: SERVICE_NAME }),
        SyncApiFeaturesModule.forRoot(syncApiSettingsFrom(config)),
      ],
    };
  }
}
