import { HubspotAssociationBatchV1, HubspotOwnersV1, HubspotPipelinesV1, HubspotRecordBatchV1, HubspotSchemaV1 } from '@hubsync/contracts';

/**
 * Edge validation of the mapper's inbound messages (libs/contracts shapes). Only what the mapper
 * relies on is checked, each failure naming the field; record-level glitches are handled later, per
 * record, so one bad record never rejects a batch.
 */
export class InvalidPayloadError extends Error {
  constructor(subject: string, problems: string[]) {
    super(`invalid ${subject} payload: ${problems.join('; ')}`);
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Checker {
  readonly problems: string[] = [];
  constructor(readonly value: Record<string, unknown>) {}

  uuid(field: string, nullable = false): this {
    const v = this.value[field];
    if (nullable && (v === null || v === undefined)) return this;
    if (typeof v !== 'string' || !UUID_RE.test(v)) this.problems.push(`${field} must be a uuid${nullable ? ' or null' : ''}`);
    return this;
  }

  text(field: string, max = 500): this {
    const v = this.value[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) this.problems.push(`${field} must be a non-empty string of at most ${max} characters`);
    return this;
  }

  timestamp(field: string): this {
    const v = this.value[field];
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) this.problems.push(`${field} must be an ISO-8601 timestamp`);
    return this;
  }

  array(field: string): this {
    if (!Array.isArray(this.value[field])) this.problems.push(`${field} must be an array`);
    return this;
  }

  boolean(field: string): this {
    if (typeof this.value[field] !== 'boolean') this.problems.push(`${field} must be a boolean`);
    return this;
  }

  done<T>(subject: string): T {
    if (this.problems.length) throw new InvalidPayloadError(subject, this.problems);
    return this.value as T;
  }
}

function checker(subject: string, payload: unknown): Checker {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new InvalidPayloadError(subject, ['payload must be a JSON object']);
  return new Checker(payload as Record<string, unknown>);
}

export function parseRecordBatch(payload: unknown): HubspotRecordBatchV1 {
  return checker('hubspot.records.v1', payload).uuid('organizationUid').text('portalId').text('objectType', 200).uuid('runId', true).text('batchId').array('records').done('hubspot.records.v1');
}

export function parseAssociationBatch(payload: unknown): HubspotAssociationBatchV1 {
  const c = checker('hubspot.associations.v1', payload).uuid('organizationUid').text('portalId').text('fromType', 200).text('toType', 200).uuid('runId', true)
    .text('sweepId').text('batchId').array('fromIds').array('associations').boolean('sweepComplete');
  const v = c.value;
  if (Array.isArray(v['fromIds']) && !(v['fromIds'] as unknown[]).every((x) => typeof x === 'string')) c.problems.push('fromIds must contain strings');
  if (Array.isArray(v['associations'])) {
    (v['associations'] as unknown[]).some((a, i) => {
      const x = a as Record<string, unknown>;
      const bad = !x || typeof x !== 'object' || typeof x['fromId'] !== 'string' || typeof x['toId'] !== 'string' || !Number.isInteger(x['typeId']) || typeof x['category'] !== 'string';
      if (bad) c.problems.push(`associations[${i}] needs fromId, toId (strings), typeId (integer) and category`);
      return bad;
    });
  }
  return c.done('hubspot.associations.v1');
}

export function parseSchema(payload: unknown): HubspotSchemaV1 {
  const c = checker('hubspot.schema.v1', payload).uuid('organizationUid').text('portalId').text('objectType', 200).text('objectTypeId', 200).array('properties').timestamp('introspectedAt');
  const v = c.value;
  if (typeof v['isCustom'] !== 'boolean') c.problems.push('isCustom must be a boolean');
  if (Array.isArray(v['properties'])) {
    (v['properties'] as unknown[]).some((p, i) => {
      const x = p as Record<string, unknown>;
      const bad = !x || typeof x !== 'object' || typeof x['name'] !== 'string' || x['name'] === '' || typeof x['type'] !== 'string';
      if (bad) c.problems.push(`properties[${i}] needs a name and a type`);
      return bad;
    });
  }
  return c.done('hubspot.schema.v1');
}

export function parsePipelines(payload: unknown): HubspotPipelinesV1 {
  const c = checker('hubspot.pipelines.v1', payload).uuid('organizationUid').text('portalId').text('objectType', 200).array('pipelines').timestamp('fetchedAt');
  if (Array.isArray(c.value['pipelines'])) {
    (c.value['pipelines'] as unknown[]).some((p, i) => {
      const x = p as Record<string, unknown>;
      const bad = !x || typeof x['id'] !== 'string' || typeof x['label'] !== 'string' || !Array.isArray(x['stages']) ||
        !(x['stages'] as unknown[]).every((s) => s && typeof (s as any).id === 'string' && typeof (s as any).label === 'string');
      if (bad) c.problems.push(`pipelines[${i}] needs id, label and stages with id and label`);
      return bad;
    });
  }
  return c.done('hubspot.pipelines.v1');
}

export function parseOwners(payload: unknown): HubspotOwnersV1 {
  const c = checker('hubspot.owners.v1', payload).uuid('organizationUid').text('portalId').array('owners').timestamp('fetchedAt');
  if (Array.isArray(c.value['owners'])) {
    (c.value['owners'] as unknown[]).some((o, i) => {
      const bad = !o || typeof (o as any).id !== 'string';
      if (bad) c.problems.push(`owners[${i}].id must be a string`);
      return bad;
    });
  }
  return c.done('hubspot.owners.v1');
}
