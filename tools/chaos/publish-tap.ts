import { connect, NatsConnection, Subscription } from 'nats';
import { HUBSPOT_RECORDS_V1, HubspotRecordBatchV1 } from '@hubsync/contracts';

export interface PublishedVersion {
  /** Newest last-modified (epoch ms) any batch carried for the record. */
  updatedMs: number;
  archived: boolean;
  sweepId: string;
  /** When the tap saw that batch. */
  seenAt: string;
  batches: number;
}

/**
 * Listens (core NATS, beside JetStream) to every record batch the fetchers publish, so that for a
 * record the reconciliation finds stale or missing it can say which side lost it: never published
 * at HubSpot's version (fetcher / search) or published but not in the mirror (JetStream / mapper).
 * It only observes; a message it misses (during a nats-server restart) makes its verdict "unknown".
 */
export class PublishTap {
  private readonly seen = new Map<string, PublishedVersion>();
  /** Content of every batch id, to catch one id re-sent with other content (JetStream's de-duplication drops it). */
  private readonly batches = new Map<string, string>();
  /** Batch ids published twice with different records: the second copy never reaches the mapper. */
  readonly collisions: string[] = [];
  private nc?: NatsConnection;
  private sub?: Subscription;
  /** Windows when the tap was not connected (its verdicts there are not evidence). */
  readonly gaps: Array<{ from: string; to?: string }> = [];

  async start(natsUrl: string): Promise<void> {
    this.nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'chaos-publish-tap' });
    void (async () => {
      for await (const s of this.nc?.status() ?? []) {
        if (s.type === 'disconnect') this.gaps.push({ from: new Date().toISOString() });
        if (s.type === 'reconnect' && this.gaps.length) this.gaps[this.gaps.length - 1].to = new Date().toISOString();
      }
    })().catch(() => undefined);
    this.sub = this.nc.subscribe(HUBSPOT_RECORDS_V1);
    void (async () => {
      for await (const msg of this.sub ?? []) this.record(msg.data);
    })().catch(() => undefined);
  }

  private record(data: Uint8Array): void {
    let batch: HubspotRecordBatchV1;
    try {
      batch = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return;
    }
    const seenAt = new Date().toISOString();
    const content = (batch.records ?? []).map((r) => `${r.id}@${r.updatedAt}${r.archived ? '#' : ''}`).join(',');
    const earlier = this.batches.get(batch.batchId);
    if (earlier !== undefined && earlier !== content && this.collisions.length < 50) {
      const before = new Set(earlier.split(','));
      const lost = content.split(',').filter((c) => !before.has(c));
      this.collisions.push(`${batch.batchId} re-sent at ${seenAt} with ${lost.length} record version(s) the first copy lacked: ${lost.slice(0, 5).join(', ')}`);
    }
    this.batches.set(batch.batchId, content);
    for (const r of batch.records ?? []) {
      const key = `${batch.objectType}:${r.id}`;
      const updatedMs = Date.parse(r.updatedAt);
      const before = this.seen.get(key);
      if (!before || updatedMs > before.updatedMs || (updatedMs === before.updatedMs && r.archived && !before.archived)) {
        this.seen.set(key, { updatedMs, archived: r.archived, sweepId: batch.sweepId, seenAt, batches: (before?.batches ?? 0) + 1 });
      } else before.batches++;
    }
  }

  /** What was published for one record, in words (for the reconciliation's examples). */
  verdict(objectType: string, id: string, truthUpdatedMs: number): string {
    const p = this.seen.get(`${objectType}:${id}`);
    if (!p) return 'never published by a fetcher';
    const version = new Date(p.updatedMs).toISOString();
    if (p.updatedMs >= truthUpdatedMs) return `published at HubSpot's version (${version}, ${p.sweepId}, seen ${p.seenAt}) but not in the mirror`;
    return `newest version published ${version} (${p.sweepId}, seen ${p.seenAt}); HubSpot's newer version never published`;
  }

  async stop(): Promise<void> {
    await this.nc?.close().catch(() => undefined);
  }
}
