import { HUBSPOT_RECORDS_V1, HubspotRecordBatchV1, HubspotRecordV1 } from '@hubsync/contracts';
import { JetStreamPublisher } from '@hubsync/messaging';
import { FetcherSettings } from '../settings/fetcher-settings';
import { OutputPublisher, RecordBatchMeta } from './output-publisher';

function record(i: number, filler = 0): HubspotRecordV1 {
  return {
    id: String(i),
    properties: { firstname: `name "${i}" \u00e9\u{1F600}`, notes: 'x'.repeat(filler), empty: null },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: `2025-01-02T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    archived: false,
  };
}

function setup(batchMaxRecords: number, batchMaxBytes: number) {
  const sent: { subject: string; json: string; msgId: string }[] = [];
  const publisher = {
    publishJson: async (subject: string, json: string, options: { msgId: string }) => {
      sent.push({ subject, json, msgId: options.msgId });
      return { stream: 'S', seq: sent.length, duplicate: false };
    },
  } as unknown as JetStreamPublisher;
  const settings = Object.assign(new FetcherSettings(), { batchMaxRecords, batchMaxBytes });
  return { sent, output: new OutputPublisher(publisher, settings) };
}

const meta: RecordBatchMeta = { organizationUid: 'org', connectionId: 'conn', portalId: '42', objectType: 'contacts', runId: 'run-1', sweepId: 'sw' };

describe('OutputPublisher.publishRecords', () => {
  it('publishes every record once, in order, as valid batches within the count and byte caps', async () => {
    const { sent, output } = setup(7, 6_000);
    const records = Array.from({ length: 40 }, (_, i) => record(i, (i * 97) % 1_500));
    const next = await output.publishRecords(meta, records, 5);
    const batches = sent.map((s) => JSON.parse(s.json) as HubspotRecordBatchV1);
    expect(batches.flatMap((b) => b.records)).toEqual(records);
    expect(next).toBe(5 + batches.length);
    batches.forEach((b, i) => {
      expect(sent[i].subject).toBe(HUBSPOT_RECORDS_V1);
      expect(Buffer.byteLength(sent[i].json)).toBeLessThanOrEqual(6_000);
      expect(b.records.length).toBeGreaterThan(0);
      expect(b.records.length).toBeLessThanOrEqual(7);
      expect(b).toMatchObject({ organizationUid: 'org', connectionId: 'conn', portalId: '42', objectType: 'contacts', runId: 'run-1', sweepId: 'sw', sequence: 5 + i });
      expect(b.batchId).toBe(`rec.conn.run-1.contacts.sw.${5 + i}`);
      expect(sent[i].msgId).toBe(b.batchId);
    });
  });

  it('gives live batches an id that changes with their content', async () => {
    const { sent, output } = setup(200, 512 * 1024);
    const live = { ...meta, runId: null };
    await output.publishRecords(live, [record(1)], 1);
    await output.publishRecords(live, [{ ...record(1), updatedAt: '2025-02-01T00:00:00.000Z' }], 1);
    expect(sent[0].msgId).toMatch(/^rec\.conn\.live\.contacts\.sw\.1\.[0-9a-f]{16}$/);
    expect(sent[1].msgId).not.toBe(sent[0].msgId);
  });

  it('publishes nothing for no records', async () => {
    const { sent, output } = setup(200, 512 * 1024);
    expect(await output.publishRecords(meta, [], 3)).toBe(3);
    expect(sent).toEqual([]);
  });
});
