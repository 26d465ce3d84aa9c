import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '@hubsync/config';
import { NatsReadinessModule, ObservabilityModule, PostgresReadinessModule } from '@hubsync/observability';
import { dataSourceOptions } from '@hubsync/persistence';
import { FetcherConfig, SERVICE_NAME } from './config/fetcher.config';
import { FetcherModule } from './fetcher.module';

/** fetcher: every HubSpot data call. Feature modules are added to `imports`. */
@Module({})
export class AppModule {
  static forRoot(config: FetcherConfig): DynamicModule {
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
        FetcherModule.forRoot(config),
      ],
    };
  }
}
