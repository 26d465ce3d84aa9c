import { StreamDefinition } from '@hubsync/contracts';

export interface MessagingModuleOptions {
  natsUrl: string;
  serviceName: string;
  /** Streams created or updated at boot so publishes find them; default: every stream in libs/contracts. */
  streams?: StreamDefinition[];
  /** Default timeout of NatsRequester.request (ms); default 5 000. */
  requestTimeoutMs?: number;
  /** KV leases: bucket (default `leases`) and TTL (ms; default 30 000). */
  leases?: { bucket?: string; ttlMs?: number };
}
