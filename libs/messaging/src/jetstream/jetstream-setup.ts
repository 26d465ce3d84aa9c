import { ConsumerDefinition, StreamDefinition } from '@hubsync/contracts';
import {
  AckPolicy,
  ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamManager,
  NatsError,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  StreamConfig,
  nanos,
} from 'nats';
import { serverMaxDeliver } from './retry-policy';

/** JetStream API error codes (nats-server `errors.json`). */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

export function isNotFound(error: unknown): boolean {
  const code = (error as NatsError | undefined)?.api_error?.err_code;
  return code === STREAM_NOT_FOUND || code === CONSUMER_NOT_FOUND;
}

/** The server-side stream config a definition asks for (file storage, one replica). */
export function streamConfigFor(def: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: def.name,
    subjects: [...def.subjects],
    retention: def.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
    duplicate_window: nanos(def.duplicateWindowMs),
    max_age: nanos(def.maxAgeMs ?? 0),
  };
}

/** The server-side durable pull consumer a definition asks for (explicit acks, server headroom on max_deliver). */
export function consumerConfigFor(def: ConsumerDefinition): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: def.durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    max_deliver: serverMaxDeliver(def.maxDeliver),
    ack_wait: nanos(def.ackWaitMs),
    ...(def.filterSubject ? { filter_subject: def.filterSubject } : {}),
  };
}

/** Fields whose values differ between the wanted and the existing config (only the ones we set). */
export function changedFields<T extends object>(wanted: Partial<T>, existing: Partial<T>): (keyof T)[] {
  const normalise = (v: unknown) => (Array.isArray(v) ? JSON.stringify([...v].sort()) : v === undefined ? '' : String(v));
  return (Object.keys(wanted) as (keyof T)[]).filter((k) => normalise(wanted[k]) !== normalise(existing[k]));
}

const IMMUTABLE_STREAM_FIELDS: (keyof StreamConfig)[] = ['retention', 'storage'];
const IMMUTABLE_CONSUMER_FIELDS: (keyof ConsumerConfig)[] = ['ack_policy', 'deliver_policy', 'replay_policy'];

/**
 * Creates the stream, or updates an existing one whose mutable settings (subjects, duplicate window,
 * max age) differ. Settings the server cannot change (retention, storage) stop the boot with an error.
 */
export async function ensureStream(jsm: JetStreamManager, def: StreamDefinition): Promise<void> {
  const wanted = streamConfigFor(def);
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(def.name)).config;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(wanted);
    return;
  }
  const changed = changedFields<StreamConfig>(wanted, existing);
  const immutable = changed.filter((f) => IMMUTABLE_STREAM_FIELDS.includes(f));
  if (immutable.length > 0) {
    throw new Error(
      `JetStream stream ${def.name} exists with incompatible ${immutable.join(', ')} ` +
        `(wanted ${immutable.map((f) => `${String(f)}=${String(wanted[f])}`).join(', ')}); migrate it by hand`,
    );
  }
  if (changed.length === 0) return;
  const { name: _name, ...update } = wanted;
  await jsm.streams.update(def.name, update);
}

/** Creates the durable pull consumer, or updates ack wait / max deliver / filter of an existing one. */
export async function ensureConsumer(jsm: JetStreamManager, def: ConsumerDefinition): Promise<void> {
  const wanted = consumerConfigFor(def);
  let existing: ConsumerConfig;
  try {
    existing = (await jsm.consumers.info(def.stream, def.durableName)).config;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.consumers.add(def.stream, wanted);
    } catch (addError) {
      throw new Error(`Could not create JetStream consumer ${def.stream}/${def.durableName}: ${(addError as Error).message}`);
    }
    return;
  }
  const changed = changedFields<ConsumerConfig>(wanted, existing);
  const immutable = changed.filter((f) => IMMUTABLE_CONSUMER_FIELDS.includes(f));
  if (immutable.length > 0) {
    throw new Error(
      `JetStream consumer ${def.stream}/${def.durableName} exists with incompatible ${immutable.join(', ')}; delete it so it is recreated`,
    );
  }
  if (changed.length === 0) return;
  try {
    await jsm.consumers.update(def.stream, def.durableName, {
      ack_wait: wanted.ack_wait,
      max_deliver: wanted.max_deliver,
      ...(def.filterSubject ? { filter_subject: def.filterSubject } : {}),
    });
  } catch (error) {
    throw new Error(
      `Could not update JetStream consumer ${def.stream}/${def.durableName} (${changed.map(String).join(', ')} changed): ` +
        `${(error as Error).message}`,
    );
  }
}
