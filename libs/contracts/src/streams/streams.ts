/**
 * JetStream streams and durable pull consumers. Declared once here; the messaging lib creates them
 * idempotently at boot (file storage). Subjects are versioned: a breaking payload change gets `.v2`.
 */
export interface StreamDefinition {
  name: string;
  subjects: string[];
  /** 'workqueue' removes a message once acked; 'limits' keeps it for replay. */
  retention: 'workqueue' | 'limits';
  /** Window inside which `Nats-Msg-Id` de-duplicates (ms). */
  duplicateWindowMs: number;
  maxAgeMs?: number;
}

/** Delay before a failed message is offered again: doubles per delivery from `initialDelayMs` up to `maxDelayMs`. */
export interface RetryBackoff {
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ConsumerDefinition {
  stream: string;
  durableName: string;
  filterSubject?: string;
  /** Deliveries before the last-attempt dead-letter decision. */
  maxDeliver: number;
  ackWaitMs: number;
  /** Messages a single process handles at once. */
  maxConcurrency: number;
  /** nak delay growth on transient errors; the messaging lib has a default when absent. */
  backoff?: RetryBackoff;
}

export const SYNC_WORK_STREAM: StreamDefinition = {
  name: 'SYNC_WORK',
  subjects: ['sync.portal-work.>'],
  retention: 'workqueue',
  duplicateWindowMs: 120_000,
};

export const HUBSPOT_DATA_STREAM: StreamDefinition = {
  name: 'HUBSPOT_DATA',
  subjects: ['hubspot.>'],
  retention: 'workqueue',
  duplicateWindowMs: 120_000,
};

export const STREAMS: StreamDefinition[] = [SYNC_WORK_STREAM, HUBSPOT_DATA_STREAM];

export const FETCHER_WORK_CONSUMER: ConsumerDefinition = {
  stream: SYNC_WORK_STREAM.name,
  durableName: 'fetcher-portal-work',
  maxDeliver: 20,
  ackWaitMs: 30_000,
  maxConcurrency: 8,
  backoff: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
};

export const MAPPER_DATA_CONSUMER: ConsumerDefinition = {
  stream: HUBSPOT_DATA_STREAM.name,
  durableName: 'mapper-hubspot-data',
  maxDeliver: 10,
  ackWaitMs: 30_000,
  maxConcurrency: 4,
  backoff: { initialDelayMs: 1_000, maxDelayMs: 30_000 },
};

/** JetStream's default max_payload is 1 MB; batches stay well under it. */
export const MAX_MESSAGE_BYTES = 768 * 1024;
