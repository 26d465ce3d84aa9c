import { prepareRecords } from './record-preparation';

describe('prepareRecords', () => {
  const types = new Map([['amount', 'number']]);

  it('keeps the newest version of an id repeated in one batch', () => {
    const out = prepareRecords(
      [
        { id: '1', properties: { amount: '1' }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-02-01T00:00:00Z', archived: false },
        { id: '1', properties: { amount: '2' }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-03-01T00:00:00Z', archived: false },
        { id: '1', properties: { amount: '0' }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-15T00:00:00Z', archived: false },
      ],
      types,
    );
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toMatchObject({ id: '1', properties: { amount: '2' }, updated_at: '2024-03-01T00:00:00.000Z' });
  });

  it('rejects records without an id or a usable updatedAt, and notes dropped values', () => {
    const out = prepareRecords(
      [
        null,
        { id: 7, properties: { amount: 'many' }, updatedAt: 1717200000000, archived: true },
        { id: '8', properties: {}, updatedAt: 'yesterday' },
      ],
      types,
    );
    expect(out.rejected.map((r) => [r.objectId, r.rule])).toEqual([
      ['#0', 'invalid_record'],
      ['8', 'invalid_record'],
    ]);
    expect(out.writes).toEqual([
      { id: '7', properties: { amount: null }, history: null, created_at: null, updated_at: '2024-06-01T00:00:00.000Z', archived: true, archived_at: '2024-06-01T00:00:00.000Z' },
    ]);
    expect(out.droppedFields).toEqual([{ objectId: '7', rule: 'dropped_field', detail: 'amount: expected a number, got "many"' }]);
  });

  it('keeps well-formed property history only', () => {
    const out = prepareRecords(
      [{ id: '1', properties: {}, updatedAt: '2024-01-01T00:00:00Z', propertiesWithHistory: { dealstage: [{ value: 'a', timestamp: 't', sourceType: 'CRM_UI' }], bad: 'x' } }],
      types,
    );
    expect(out.writes[0].history).toEqual({ dealstage: [{ value: 'a', timestamp: 't', sourceType: 'CRM_UI' }] });
  });
});
