import { HubspotAssociationBatchV1, HubspotAssociationV1, HubspotOwnersV1, HubspotPipelinesV1, HubspotRecordBatchV1, HubspotRecordV1, HubspotSchemaV1 } from '@hubsync/contracts';
import { randomUUID } from 'node:crypto';

/** Builds fetcher-shaped messages for tests (and the benchmark), deterministically. */
export interface Origin {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  runId: string | null;
}

let sequence = 0;

export function recordBatch(origin: Origin, objectType: string, records: HubspotRecordV1[], batchId = `b-${randomUUID()}`): HubspotRecordBatchV1 {
  return {
    organizationUid: origin.organizationUid,
    connectionId: origin.connectionId,
    portalId: origin.portalId,
    objectType,
    runId: origin.runId,
    sweepId: 'sweep-1',
    sequence: ++sequence,
    batchId,
    records,
    fetchedAt: new Date().toISOString(),
  };
}

export function record(id: string | number, properties: Record<string, string | null>, updatedAt = '2024-06-01T00:00:00.000Z', extra: Partial<HubspotRecordV1> = {}): HubspotRecordV1 {
  return { id: String(id), properties, createdAt: extra.createdAt ?? '2024-01-01T00:00:00.000Z', updatedAt, archived: false, ...extra };
}

export function associationBatch(
  origin: Origin,
  fromType: string,
  toType: string,
  pairs: [string | number, string | number][],
  options: { sweepId?: string; fromIds?: string[]; sweepComplete?: boolean; typeId?: number; label?: string | null } = {},
): HubspotAssociationBatchV1 {
  const associations: HubspotAssociationV1[] = pairs.map(([f, t]) => ({
    fromId: String(f),
    toId: String(t),
    typeId: options.typeId ?? 1,
    category: 'HUBSPOT_DEFINED',
    label: options.label ?? null,
  }));
  return {
    organizationUid: origin.organizationUid,
    connectionId: origin.connectionId,
    portalId: origin.portalId,
    fromType,
    toType,
    runId: origin.runId,
    sweepId: options.sweepId ?? 'assoc-sweep-1',
    sequence: ++sequence,
    batchId: `a-${randomUUID()}`,
    fromIds: options.fromIds ?? [...new Set(pairs.map(([f]) => String(f)))],
    associations,
    sweepComplete: options.sweepComplete ?? false,
  };
}

export function schemaMessage(origin: Origin, objectType: string, properties: { name: string; type: string; hubspotDefined?: boolean; archived?: boolean }[], extra: Partial<HubspotSchemaV1> = {}): HubspotSchemaV1 {
  return {
    organizationUid: origin.organizationUid,
    connectionId: origin.connectionId,
    portalId: origin.portalId,
    objectType,
    objectTypeId: extra.objectTypeId ?? objectType,
    fullyQualifiedName: extra.fullyQualifiedName,
    isCustom: extra.isCustom ?? false,
    properties: properties.map((p) => ({ name: p.name, label: p.name, type: p.type, fieldType: 'text', hubspotDefined: p.hubspotDefined ?? true, archived: p.archived ?? false })),
    introspectedAt: extra.introspectedAt ?? new Date().toISOString(),
  };
}

export function dealPipelines(origin: Origin, fetchedAt = new Date().toISOString()): HubspotPipelinesV1 {
  const stage = (id: string, label: string, order: number, probability: string, isClosed: boolean) => ({
    id,
    label,
    displayOrder: order,
    archived: false,
    metadata: { probability, isClosed: String(isClosed) },
  });
  return {
    organizationUid: origin.organizationUid,
    connectionId: origin.connectionId,
    portalId: origin.portalId,
    objectType: 'deals',
    fetchedAt,
    pipelines: [
      {
        id: 'default',
        label: 'Sales Pipeline',
        displayOrder: 0,
        archived: false,
        stages: [
          stage('appointmentscheduled', 'Appointment Scheduled', 0, '0.2', false),
          stage('qualifiedtobuy', 'Qualified To Buy', 1, '0.4', false),
          stage('contractsent', 'Contract Sent', 3, '0.8', false),
          stage('closedwon', 'Closed Won', 5, '1.0', true),
          stage('closedlost', 'Closed Lost', 6, '0.0', true),
        ],
      },
      {
        id: 'renewals',
        label: 'Renewals',
        displayOrder: 1,
        archived: false,
        stages: [stage('renewal_due', 'Renewal Due', 0, '0.6', false), stage('renewed', 'Renewed', 1, '1.0', true), stage('churned', 'Churned', 2, '0.0', true)],
      },
    ],
  };
}

export function owners(origin: Origin, list: { id: string; firstName: string; lastName: string; email: string }[]): HubspotOwnersV1 {
  return {
    organizationUid: origin.organizationUid,
    connectionId: origin.connectionId,
    portalId: origin.portalId,
    fetchedAt: new Date().toISOString(),
    owners: list.map((o) => ({ ...o, userId: null, archived: false, createdAt: '2023-01-01T00:00:00.000Z', updatedAt: '2023-01-01T00:00:00.000Z' })),
  };
}

/** HubSpot-defined company/contact/deal properties the generated portals use, plus custom ones. */
export const COMPANY_PROPERTIES = [
  { name: 'name', type: 'string' },
  { name: 'domain', type: 'string' },
  { name: 'hubspot_owner_id', type: 'enumeration' },
  { name: 'lifecyclestage', type: 'enumeration' },
  { name: 'annual_recurring_revenue', type: 'number', hubspotDefined: false },
  { name: 'mrr', type: 'number', hubspotDefined: false },
  { name: 'hs_mrr', type: 'number' },
  { name: 'hs_arr', type: 'number' },
  { name: 'renewal_date', type: 'date', hubspotDefined: false },
  { name: 'contract_end_date', type: 'date', hubspotDefined: false },
  { name: 'segment', type: 'enumeration', hubspotDefined: false },
  { name: 'createdate', type: 'datetime' },
];
