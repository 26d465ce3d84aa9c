import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { buildLoggerOptions } from './logging/logger-options';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability.options';

/** JSON logs with secrets redacted, /health/live, /health/ready, /metrics. Global. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({ pinoHttp: buildLoggerOptions(options.serviceName, options.logLevel ?? 'info') }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: OBSERVABILITY_OPTIONS, useValue: options }, HealthRegistry, MetricsService],
      exports: [HealthRegistry, MetricsService, OBSERVABILITY_OPTIONS],
    };
  }
}
