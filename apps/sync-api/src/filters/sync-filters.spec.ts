import { compileFilterCriteria, MAX_USER_FILTERS_PER_OBJECT, validateSyncFilters } from './sync-filters';

const now = new Date('2025-06-15T00:00:00.000Z');

describe('sync filters', () => {
  it('accepts every documented filter and compiles it to criteria with HubSpot property names', () => {
    const filters = {
      companies: { lifecycle_stages: ['customer'], owner_ids: ['7'] },
      contacts: { roles: ['sales'], engaged_within_days: 30 },
      deals: { pipelines: ['default'], stages: ['closedwon'], amount_greater_than: 1000 },
      activities: { types: ['meetings', 'calls'], from: '2025-01-01', outcomes: { meetings: ['COMPLETED'], calls: ['COMPLETED'] } },
      criteria: { companies: [{ condition: 'EQUALS', field: 'industry', value: 'SOFTWARE' }] },
    };
    const result = validateSyncFilters(filters);
    expect(result).toEqual({ ok: true, filters });
    const compiled = compileFilterCriteria(filters as never, now);
    expect(compiled.criteria['companies']).toEqual([
      { field: 'lifecyclestage', condition: 'IN', value: ['customer'] },
      { field: 'hubspot_owner_id', condition: 'IN', value: ['7'] },
      { condition: 'EQUALS', field: 'industry', value: 'SOFTWARE' },
    ]);
    expect(compiled.criteria['contacts']).toEqual([
      { field: 'hs_role', condition: 'IN', value: ['sales'] },
      { field: 'notes_last_updated', condition: 'GREATER_THAN', value: '2025-05-16T00:00:00.000Z' },
    ]);
    expect(compiled.criteria['deals']).toEqual([
      { field: 'pipeline', condition: 'IN', value: ['default'] },
      { field: 'dealstage', condition: 'IN', value: ['closedwon'] },
      { field: 'amount', condition: 'GREATER_THAN', value: 1000 },
    ]);
    expect(compiled.criteria['meetings']).toEqual([
      { field: 'hs_timestamp', condition: 'GREATER_THAN', value: '2025-01-01T00:00:00.000Z' },
      { field: 'hs_meeting_outcome', condition: 'IN', value: ['COMPLETED'] },
    ]);
    expect(compiled.criteria['calls']).toEqual([
      { field: 'hs_timestamp', condition: 'GREATER_THAN', value: '2025-01-01T00:00:00.000Z' },
      { field: 'hs_call_status', condition: 'IN', value: ['COMPLETED'] },
    ]);
    expect(compiled.activityTypes).toEqual(['meetings', 'calls']);
  });

  it.each([
    [{ company: {} }, 'company'],
    [{ companies: { lifecycle_stage: ['x'] } }, 'companies.lifecycle_stage'],
    [{ companies: { lifecycle_stages: [] } }, 'companies.lifecycle_stages'],
    [{ companies: { owner_ids: [1] } }, 'companies.owner_ids.0'],
    [{ contacts: { engaged_within_days: 0 } }, 'contacts.engaged_within_days'],
    [{ contacts: { engaged_within_days: 2.5 } }, 'contacts.engaged_within_days'],
    [{ deals: { amount_greater_than: 10, amount_less_than: 5 } }, 'deals.amount_less_than'],
    [{ deals: { amount_greater_than: '10' } }, 'deals.amount_greater_than'],
    [{ activities: { types: ['emails', 'letters'] } }, 'activities.types.1'],
    [{ activities: { from: 'yesterday' } }, 'activities.from'],
    [{ activities: { from: '2025-02-01', to: '2025-01-01' } }, 'activities.to'],
    [{ activities: { outcomes: { notes: ['X'] } } }, 'activities.outcomes.notes'],
    [{ criteria: { widgets: [] } }, 'criteria.widgets'],
    [{ criteria: { companies: [{ condition: 'LIKE', field: 'name', value: 'x' }] } }, 'criteria.companies.0.condition'],
    [{ criteria: { companies: [{ condition: 'EQUALS', field: 'x"; drop table y; --', value: 'x' }] } }, 'criteria.companies.0.field'],
    [{ criteria: { companies: [{ condition: 'CONTAINS', field: 'name', value: null }] } }, 'criteria.companies.0.value'],
    [{ criteria: { companies: [{ condition: 'IN', field: 'name', value: [] }] } }, 'criteria.companies.0.value'],
    [{ criteria: { companies: [{ condition: 'GREATER_THAN', field: 'amount', value: 'big' }] } }, 'criteria.companies.0.value'],
    [{ criteria: { companies: [{ condition: 'EQUALS', field: 'name' }] } }, 'criteria.companies.0.value'],
    [{ criteria: { companies: [{ condition: 'EQUALS', field: 'name', value: 'a', extra: 1 }] } }, 'criteria.companies.0.extra'],
  ])('rejects %j naming %s', (input, field) => {
    const result = validateSyncFilters(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field)).toContain(field);
      for (const e of result.errors) expect(e.message.startsWith(e.field)).toBe(true);
    }
  });

  it('rejects non-objects', () => {
    expect(validateSyncFilters([]).ok).toBe(false);
    expect(validateSyncFilters('x').ok).toBe(false);
    expect(validateSyncFilters(null).ok).toBe(false);
  });

  it('keeps each object type within the search filters left after the sync own ones', () => {
    const criteria = Array.from({ length: MAX_USER_FILTERS_PER_OBJECT }, (_, i) => ({ condition: 'EQUALS', field: `p${i}`, value: 'x' }));
    expect(validateSyncFilters({ criteria: { deals: criteria } }).ok).toBe(true);
    const tooMany = validateSyncFilters({ deals: { pipelines: ['default'] }, criteria: { deals: criteria } });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.errors[0]).toMatchObject({ field: 'criteria.deals', message: expect.stringContaining('HubSpot allows 6') });
  });

  it('checks criteria fields against known properties when the mirror has them', () => {
    const known = { companies: new Set(['name', 'domain']) };
    expect(validateSyncFilters({ criteria: { companies: [{ condition: 'EQUALS', field: 'name', value: 'x' }] } }, known).ok).toBe(true);
    const unknown = validateSyncFilters({ criteria: { companies: [{ condition: 'EQUALS', field: 'nmae', value: 'x' }] } }, known);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0].message).toContain('"nmae" is not a property of companies');
  });
});
