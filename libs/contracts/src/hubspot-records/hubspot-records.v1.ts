/** A batch of HubSpot objects of one type, as fetched. The mapper upserts it last-modified-wins. */
export const HUBSPOT_RECORDS_V1 = 'hubspot.records.v1';

export interface HubspotRecordV1 {
  id: string;
  /** Values are strings or null, as HubSpot sends them. */
  properties: Record<string, string | null>;
  /** Property history when fetched with `propertiesWithHistory`. */
  propertiesWithHistory?: Record<string, { value: string | null; timestamp: string; sourceType?: string }[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string | null;
}

export interface HubspotRecordBatchV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  objectType: string;
  /** The sync run this batch belongs to; null for continuous incremental sweeps. */
  runId: string | null;
  /** Identifies the sweep (backfill, edge, lag, delete, id sweep) that produced the batch. */
  sweepId: string;
  /** Position of the batch inside its run and object type, from 1. */
  sequence: number;
  /** Unique per batch; the JetStream msg id. */
  batchId: string;
  records: HubspotRecordV1[];
  /** For id sweeps of custom objects: ids known to exist are in the batch; absent ones are gone. */
  fetchedAt: string;
}
