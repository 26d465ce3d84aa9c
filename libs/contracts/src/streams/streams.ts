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

export interface ConsumerDefinition {
  stream: string;
  durableName: string;
  filterSubject?: string;
  /** Deliveries before the last-attempt dead-letter decision. */
  maxDeliver: number;
  ackWaitMs: number;
  /** Messages a single process handles at once. */
  maxConcurrency: number;
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
};

export const MAPPER_DATA_CONSUMER: ConsumerDefinition = {
  stream: HUBSPOT_DATA_STREAM.name,
  durableName: 'mapper-hubspot-data',
  maxDeliver: 10,
  ackWaitMs: 30_000,
  maxConcurrency: 4,
};

/** JetStream's default max_payload is 1 MB; batches stay well under it. */
export const MAX_MESSAGE_BYTES = 768 * 1024;
