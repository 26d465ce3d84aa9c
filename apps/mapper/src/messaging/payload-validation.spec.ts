import { parseAssociationBatch, parseOwners, parsePipelines, parseRecordBatch, parseSchema } from './payload-validation';

const org = '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';

describe('payload validation at the mapper edge', () => {
  it('accepts contract-shaped messages', () => {
    const batch = { organizationUid: org, connectionId: 'c', portalId: '1', objectType: 'deals', runId: null, sweepId: 's', sequence: 1, batchId: 'b', records: [], fetchedAt: 'now' };
    expect(parseRecordBatch(batch)).toBe(batch);
    expect(() =>
      parseAssociationBatch({ organizationUid: org, portalId: '1', fromType: 'deals', toType: 'companies', runId: org, sweepId: 's', batchId: 'b', fromIds: ['1'], associations: [{ fromId: '1', toId: '2', typeId: 5, category: 'HUBSPOT_DEFINED', label: null }], sweepComplete: false }),
    ).not.toThrow();
  });

  it('names every bad field', () => {
    expect(() => parseRecordBatch({ organizationUid: 'nope', objectType: '', records: {} })).toThrow(
      'invalid hubspot.records.v1 payload: organizationUid must be a uuid; portalId must be a non-empty string of at most 500 characters; objectType must be a non-empty string of at most 200 characters; batchId must be a non-empty string of at most 500 characters; records must be an array',
    );
    expect(() => parseRecordBatch('text')).toThrow('payload must be a JSON object');
    expect(() => parseAssociationBatch({ organizationUid: org, portalId: '1', fromType: 'a', toType: 'b', sweepId: 's', batchId: 'b', fromIds: [1], associations: [{ fromId: '1' }], sweepComplete: 'yes' })).toThrow(
      /sweepComplete must be a boolean; fromIds must contain strings; associations\[0\] needs fromId, toId/,
    );
    expect(() => parseSchema({ organizationUid: org, portalId: '1', objectType: 'deals', objectTypeId: 'deals', isCustom: false, properties: [{ name: 'x' }], introspectedAt: 'x' })).toThrow(
      /introspectedAt must be an ISO-8601 timestamp; properties\[0\] needs a name and a type/,
    );
    expect(() => parsePipelines({ organizationUid: org, portalId: '1', objectType: 'deals', pipelines: [{ id: 'p', label: 'P', stages: [{ id: 's' }] }], fetchedAt: '2024-01-01' })).toThrow(/pipelines\[0\] needs id, label and stages/);
    expect(() => parseOwners({ organizationUid: org, portalId: '1', owners: [{ id: 5 }], fetchedAt: '2024-01-01' })).toThrow(/owners\[0\]\.id must be a string/);
  });
});
