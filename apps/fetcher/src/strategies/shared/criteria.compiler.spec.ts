import { DEFAULT_SEARCH_LIMITS, SearchQueryError } from '@hubsync/hubspot';
import { SchemaCatalog } from '../../schema/schema-catalog';
import { compileCriteria, dealStageFilter } from './criteria.compiler';

const schema = {
  propertyInfo: jest.fn(async () => new Map([['dealname', { name: 'dealname', type: 'string', fieldType: 'text' }], ['amount', { name: 'amount', type: 'number', fieldType: 'number' }]])),
} as unknown as SchemaCatalog;

describe('compileCriteria', () => {
  beforeEach(() => jest.clearAllMocks());

  it('turns OpsHub criteria into one AND group per object type', async () => {
    const out = await compileCriteria({ criteria: { deals: [{ condition: 'GREATER_THAN', field: 'amount', value: 10 }] } }, ['deals'], schema, DEFAULT_SEARCH_LIMITS);
    expect(out).toEqual({ deals: [[{ propertyName: 'amount', operator: 'GT', value: '10' }]] });
  });

  it('counts the cursor filters and the deal-stage filter before asking for any property', async () => {
    const four = ['a', 'b', 'c', 'd'].map((field) => ({ condition: 'EQUALS' as const, field, value: 'x' }));
    // 4 user + 2 cursor = 6 fits; + 1 stage filter = 7 does not (stricter default: 6 per group).
    (schema.propertyInfo as jest.Mock).mockResolvedValueOnce(new Map(['a', 'b', 'c', 'd'].map((name) => [name, { name, type: 'string', fieldType: 'text' }])));
    await expect(compileCriteria({ criteria: { deals: four } }, ['deals'], schema, DEFAULT_SEARCH_LIMITS)).resolves.toEqual({ deals: [expect.any(Array)] });
    jest.clearAllMocks();
    await expect(compileCriteria({ criteria: { deals: four } }, ['deals'], schema, DEFAULT_SEARCH_LIMITS, () => 3)).rejects.toThrow(SearchQueryError);
    expect(schema.propertyInfo).not.toHaveBeenCalled();
  });

  it('counts the system filters of each type as given: five criteria fit a one-filter id gate, not a cursor walk', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((field) => ({ condition: 'EQUALS' as const, field, value: 'x' }));
    const properties = new Map(['a', 'b', 'c', 'd', 'e'].map((name) => [name, { name, type: 'string', fieldType: 'text' }]));
    (schema.propertyInfo as jest.Mock).mockResolvedValueOnce(properties);
    const out = await compileCriteria({ criteria: { companies: five } }, ['companies'], schema, DEFAULT_SEARCH_LIMITS, () => 1);
    expect(out['companies']?.[0]).toHaveLength(5);
    await expect(compileCriteria({ criteria: { companies: five } }, ['companies'], schema, DEFAULT_SEARCH_LIMITS)).rejects.toThrow(/5 filters plus 2/);
  });

  it('names an unknown property', async () => {
    await expect(compileCriteria({ criteria: { deals: [{ condition: 'EQUALS', field: 'colour', value: 'red' }] } }, ['deals'], schema, DEFAULT_SEARCH_LIMITS)).rejects.toThrow(/no property "colour"/);
  });
});

describe('dealStageFilter', () => {
  it('is `dealstage IN` with the stage ids as given, or nothing', () => {
    expect(dealStageFilter({ dealStages: ['closedwon', 'contractSent'] })).toEqual([{ propertyName: 'dealstage', operator: 'IN', values: ['closedwon', 'contractSent'] }]);
    expect(dealStageFilter({})).toEqual([]);
    expect(() => dealStageFilter({ dealStages: [''] })).toThrow(/deal_stages/);
  });
});
