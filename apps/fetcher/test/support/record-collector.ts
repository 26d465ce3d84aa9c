import { HUBSPOT_DATA_STREAM, HubspotAssociationBatchV1, HubspotRecordBatchV1 } from '@hubsync/contracts';
import { AckPolicy, connect, JsMsg, NatsConnection } from 'nats';

export interface SeenRecord {
  id: string;
  updatedAtMs: number;
  archived: boolean;
  /** How many times the record was handed on. */
  deliveries: number;
}

const decoder = new TextDecoder();

/**
 * Reads what the fetcher hands on from the HUBSPOT_DATA stream (standing in for the mapper, which
 * is not part of these tests) and keeps, per object type and id, the last-modified-wins state the
 * mirror would hold.
 */
export class RecordCollector {
  private nc?: NatsConnection;
  private running = false;
  private loop?: Promise<void>;
  readonly records = new Map<string, Map<string, SeenRecord>>();
  readonly recordBatches: HubspotRecordBatchV1[] = [];
  readonly associationBatches: HubspotAssociationBatchV1[] = [];
  /** Schema, pipeline and owner messages, as published. */
  readonly reference: { subject: string; payload: any }[] = [];
  readonly subjects = new Map<string, number>();
  private readonly byRun = new Map<string, Set<string>>();

  /** `keep: false` only acks (tests that count requests, not records, spare the CPU). */
  keep = true;

  async start(natsUrl: string, durable = 'test-collector'): Promise<void> {
    this.nc = await connect({ servers: natsUrl, name: 'record-collector' });
    const jsm = await this.nc.jetstreamManager();
    // The stream may not exist yet if no fetcher has started; create it as the messaging lib would.
    try {
      await jsm.streams.info(HUBSPOT_DATA_STREAM.name);
    } catch {
      await jsm.streams.add({ name: HUBSPOT_DATA_STREAM.name, subjects: HUBSPOT_DATA_STREAM.subjects, retention: 'workqueue' as never });
    }
    await jsm.consumers.add(HUBSPOT_DATA_STREAM.name, { durable_name: durable, ack_policy: AckPolicy.Explicit, max_ack_pending: 10_000 });
    const consumer = await this.nc.jetstream().consumers.get(HUBSPOT_DATA_STREAM.name, durable);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const batch = await consumer.fetch({ max_messages: 500, expires: 1_000 });
        for await (const msg of batch) this.take(msg);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
  }

  /** Records of one connection and object type (ids are only unique per portal). */
  of(connectionId: string, objectType: string): Map<string, SeenRecord> {
    const key = `${connectionId}|${objectType}`;
    let map = this.records.get(key);
    if (!map) {
      map = new Map();
      this.records.set(key, map);
    }
    return map;
  }

  /** Ids handed on for a run and object type. */
  runRecordIds(runId: string, objectType: string): string[] {
    return [...(this.byRun.get(`${runId}|${objectType}`) ?? [])];
  }

  /** Association sets as the mirror would hold them after replacing each from-id's set. */
  associationSets(connectionId: string, fromType: string, toType: string): Map<string, Set<string>> {
    const sets = new Map<string, Set<string>>();
    for (const batch of this.associationBatches) {
      if (batch.connectionId !== connectionId || batch.fromType !== fromType || batch.toType !== toType) continue;
      for (const fromId of batch.fromIds) sets.set(fromId, new Set());
      for (const a of batch.associations) sets.get(a.fromId)?.add(`${a.toId}:${a.typeId}`);
    }
    for (const [id, set] of [...sets]) if (set.size === 0) sets.delete(id);
    return sets;
  }

  private take(msg: JsMsg): void {
    this.subjects.set(msg.subject, (this.subjects.get(msg.subject) ?? 0) + 1);
    if (!this.keep) {
      msg.ack();
      return;
    }
    const payload = JSON.parse(decoder.decode(msg.data));
    if (msg.subject === 'hubspot.records.v1') {
      const batch = payload as HubspotRecordBatchV1;
      this.recordBatches.push({ ...batch, records: [] });
      const map = this.of(batch.connectionId, batch.objectType);
      if (batch.runId) {
        const key = `${batch.runId}|${batch.objectType}`;
        const ids = this.byRun.get(key) ?? new Set<string>();
        batch.records.forEach((r) => ids.add(r.id));
        this.byRun.set(key, ids);
      }
      for (const r of batch.records) {
        const updatedAtMs = r.updatedAt ? Date.parse(r.updatedAt) : 0;
        const prev = map.get(r.id);
        const deliveries = (prev?.deliveries ?? 0) + 1;
        // Last-modified-wins; an archive notice of the same version still marks the record archived.
        if (!prev || updatedAtMs > prev.updatedAtMs || (updatedAtMs === prev.updatedAtMs && r.archived)) {
          map.set(r.id, { id: r.id, updatedAtMs, archived: r.archived, deliveries });
        } else {
          prev.deliveries = deliveries;
        }
      }
    } else if (msg.subject === 'hubspot.associations.v1') {
      this.associationBatches.push(payload as HubspotAssociationBatchV1);
    } else {
      this.reference.push({ subject: msg.subject, payload });
    }
    msg.ack();
  }
}
