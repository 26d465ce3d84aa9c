import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { connect, NatsConnection } from 'nats';
import { HealthRegistry } from '../health/health-registry';

export const NATS_READINESS_CONNECTION = Symbol('NATS_READINESS_CONNECTION');

export interface NatsReadinessOptions {
  natsUrl: string;
  serviceName: string;
  /** Also require JetStream to answer (every service that consumes or publishes streams). */
  jetStream?: boolean;
}

/**
 * Readiness: NATS (and JetStream) answer a round trip. Holds its own small connection so the check
 * works before any messaging feature exists; drained on shutdown.
 */
@Module({})
export class NatsReadinessModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NatsReadiness');

  constructor(
    @Inject(NATS_READINESS_CONNECTION) private readonly connection: NatsConnection,
    @Inject('NATS_READINESS_OPTIONS') private readonly options: NatsReadinessOptions,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: NatsReadinessOptions): DynamicModule {
    return {
      module: NatsReadinessModule,
      providers: [
        { provide: 'NATS_READINESS_OPTIONS', useValue: options },
        {
          provide: NATS_READINESS_CONNECTION,
          useFactory: () =>
            connect({
              servers: options.natsUrl.split(',').map((s) => s.trim()),
              name: `${options.serviceName}-readiness`,
              maxReconnectAttempts: -1,
              reconnectTimeWait: 500,
              timeout: 5_000,
            }),
        },
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('nats', async () => {
      if (this.connection.isClosed()) throw new Error('NATS connection closed');
      await this.connection.flush();
      if (this.options.jetStream !== false) {
        const jsm = await this.connection.jetstreamManager({ timeout: 2_000 });
        await jsm.getAccountInfo();
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch (error) {
      this.logger.warn(`NATS drain failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
