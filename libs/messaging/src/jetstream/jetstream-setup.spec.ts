import { AckPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import { changedFields, consumerConfigFor, streamConfigFor } from './jetstream-setup';
import { SPARE_SERVER_DELIVERIES } from './retry-policy';

describe('JetStream config from contracts', () => {
  it('maps a work-queue stream to file storage with the duplicate window in nanoseconds', () => {
    const cfg = streamConfigFor({ name: 'S', subjects: ['a.>'], retention: 'workqueue', duplicateWindowMs: 120_000 });
    expect(cfg).toMatchObject({
      name: 'S',
      subjects: ['a.>'],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
      max_age: 0,
    });
  });

  it('maps a consumer to an explicit-ack durable with server headroom above maxDeliver', () => {
    const cfg = consumerConfigFor({ stream: 'S', durableName: 'd', maxDeliver: 5, ackWaitMs: 2_000, maxConcurrency: 1, filterSubject: 'a.b' });
    expect(cfg).toMatchObject({
      durable_name: 'd',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(2_000),
      max_deliver: 5 + SPARE_SERVER_DELIVERIES,
      filter_subject: 'a.b',
    });
  });

  it('reports only the fields that differ, ignoring subject order', () => {
    const wanted = { subjects: ['b', 'a'], max_age: 0, duplicate_window: 5 };
    expect(changedFields(wanted, { subjects: ['a', 'b'], max_age: 0, duplicate_window: 5, extra: 1 } as object)).toEqual([]);
    expect(changedFields(wanted, { subjects: ['a'], max_age: 0, duplicate_window: 6 } as object)).toEqual(['subjects', 'duplicate_window']);
  });
});
