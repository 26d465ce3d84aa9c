import { STREAMS } from '@hubsync/contracts';
import { DynamicModule, Inject, Injectable, Module, ModuleMetadata, OnApplicationShutdown, Provider } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { ensureStream } from './jetstream/jetstream-setup';
import { JetStreamPublisher } from './jetstream/jetstream-publisher';
import { KvLeaseManager } from './kv/kv-lease-manager';
import { MessagingHealth } from './messaging-health.service';
import { MessagingModuleOptions } from './messaging.options';
import { MESSAGING_OPTIONS, NATS_CONNECTION } from './messaging.tokens';
import { connectNats, drainWithin } from './nats/nats-connection';
import { NatsRequester } from './rpc/nats-requester';

@Injectable()
class MessagingShutdown implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await drainWithin(this.nc, 3_000);
  }
}

const sharedProviders: Provider[] = [
  {
    provide: NATS_CONNECTION,
    inject: [MESSAGING_OPTIONS],
    useFactory: async (options: MessagingModuleOptions): Promise<NatsConnection> => {
      const nc = await connectNats({ natsUrl: options.natsUrl, name: options.serviceName });
      try {
        const jsm = await nc.jetstreamManager();
        for (const stream of options.streams ?? STREAMS) await ensureStream(jsm, stream);
      } catch (error) {
        await nc.close();
        throw error;
      }
      return nc;
    },
  },
  { provide: JetStreamPublisher, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => new JetStreamPublisher(nc) },
  {
    provide: NatsRequester,
    inject: [NATS_CONNECTION, MESSAGING_OPTIONS],
    useFactory: (nc: NatsConnection, options: MessagingModuleOptions) => new NatsRequester(nc, options.requestTimeoutMs ?? 5_000),
  },
  {
    provide: KvLeaseManager,
    inject: [NATS_CONNECTION, MESSAGING_OPTIONS],
    useFactory: (nc: NatsConnection, options: MessagingModuleOptions) =>
      new KvLeaseManager(nc, { bucket: options.leases?.bucket, ttlMs: options.leases?.ttlMs ?? 30_000, holder: `${options.serviceName}-${process.pid}` }),
  },
  MessagingHealth,
  MessagingShutdown,
];

const exported = [NATS_CONNECTION, JetStreamPublisher, NatsRequester, KvLeaseManager, MessagingHealth];

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  inject?: any[];
}

/**
 * The NATS side every service shares: one connection (drained on shutdown), the JetStream publisher,
 * request/reply requester and KV leases. Global, so feature modules just inject them.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: validate(options) }, ...sharedProviders],
      exports: exported,
    };
  }

  /** For options from the app's validated config: `useFactory: (c: FetcherConfig) => ({ natsUrl: c.NATS_URL, ... })`. */
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => validate(await options.useFactory(...args)),
        },
        ...sharedProviders,
      ],
      exports: exported,
    };
  }
}

function validate(options: MessagingModuleOptions): MessagingModuleOptions {
  if (!options.natsUrl) throw new Error('MessagingModule: natsUrl (NATS_URL) is required');
  if (!options.serviceName) throw new Error('MessagingModule: serviceName is required');
  return options;
}
