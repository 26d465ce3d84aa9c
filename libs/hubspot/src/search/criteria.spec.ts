import { criteriaToFilters, PropertyInfo } from './criteria';
import { SearchQueryError } from './search-query-error';

const props = new Map<string, PropertyInfo>(
  [
    { name: 'dealname', type: 'string', fieldType: 'text' },
    { name: 'dealstage', type: 'enumeration', fieldType: 'select' },
    { name: 'amount', type: 'number', fieldType: 'number' },
    { name: 'createdate', type: 'datetime', fieldType: 'date' },
    { name: 'closedate', type: 'datetime', fieldType: 'date' },
  ].map((p) => [p.name, p]),
);

describe('OpsHub criteria → Search filters', () => {
  it('maps the seed’s examples', () => {
    expect(criteriaToFilters([{ condition: 'EQUALS', field: 'dealstage', value: 'appointmentscheduled' }], 'deals', props)).toEqual([
      { propertyName: 'dealstage', operator: 'EQ', value: 'appointmentscheduled' },
    ]);
    expect(criteriaToFilters([{ condition: 'GREATER_THAN', field: 'createdate', value: '2025-06-15T03:00:29.864Z' }], 'deals', props)).toEqual([
      { propertyName: 'createdate', operator: 'GT', value: String(Date.parse('2025-06-15T03:00:29.864Z')) },
    ]);
    expect(criteriaToFilters([{ condition: 'EQUALS', field: 'dealname', value: 'new' }], 'deals', props)).toEqual([
      { propertyName: 'dealname', operator: 'EQ', value: 'new' },
    ]);
  });

  it('maps IN (lower-casing text values, keeping enumeration values), CONTAINS and null on non-text', () => {
    expect(criteriaToFilters([{ condition: 'IN', field: 'dealname', value: ['Big', 'Small'] }], 'deals', props)[0]).toEqual({ propertyName: 'dealname', operator: 'IN', values: ['big', 'small'] });
    expect(criteriaToFilters([{ condition: 'IN', field: 'dealstage', value: ['closedWon'] }], 'deals', props)[0].values).toEqual(['closedWon']);
    expect(criteriaToFilters([{ condition: 'CONTAINS', field: 'dealname', value: 'acme' }], 'deals', props)[0].operator).toBe('CONTAINS_TOKEN');
    expect(criteriaToFilters([{ condition: 'EQUALS', field: 'amount', value: null }], 'deals', props)[0]).toEqual({ propertyName: 'amount', operator: 'NOT_HAS_PROPERTY' });
    expect(criteriaToFilters([{ condition: 'LESS_THAN', field: 'amount', value: 1000 }], 'deals', props)[0]).toEqual({ propertyName: 'amount', operator: 'LT', value: '1000' });
  });

  it.each([
    [[{ condition: 'EQUALS', field: 'dealname', value: null }], 'dealname', /needs a value/],
    [[{ condition: 'EQUALS', field: 'no_such_prop', value: 'x' }], 'no_such_prop', /has no property "no_such_prop"/],
    [[{ condition: 'LIKE', field: 'dealname', value: 'x' }], 'dealname', /unknown condition/],
    [[{ condition: 'IN', field: 'dealstage', value: 'x' }], 'dealstage', /non-empty array/],
    [[{ condition: 'GREATER_THAN', field: 'closedate', value: 'yesterday' }], 'closedate', /not a date/],
  ])('refuses %j naming the field', (criteria, field, message) => {
    try {
      criteriaToFilters(criteria, 'deals', props);
      throw new Error('expected a SearchQueryError');
    } catch (e) {
      expect(e).toBeInstanceOf(SearchQueryError);
      expect((e as SearchQueryError).field).toBe(field);
      expect((e as Error).message).toMatch(message);
    }
  });
});
