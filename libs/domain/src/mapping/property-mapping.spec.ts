import { applyMappings } from './apply-mappings';
import { evaluateExpression, parseDate, referencedProperties } from './mapping-expression';
import { validatePropertyMappings } from './property-mapping-validation';

describe('evaluateExpression', () => {
  const props = { firstname: 'Ada', lastname: 'Lovelace', arr: '1200', zero: '0', stage: 'closedwon', d: '31/12/2024', empty: '' };

  it('reads properties, concatenates, divides, picks the first non-empty, looks up and parses dates', () => {
    expect(evaluateExpression('firstname', props)).toBe('Ada');
    expect(evaluateExpression({ concat: ['firstname', { property: 'missing' }, 'lastname'], separator: ' ' }, props)).toBe('Ada Lovelace');
    expect(evaluateExpression({ divide: ['arr', { literal: 12 }] }, props)).toBe(100);
    expect(evaluateExpression({ divide: ['arr', 'zero'] }, props)).toBeNull();
    expect(evaluateExpression({ firstNonEmpty: ['empty', 'missing', 'lastname'] }, props)).toBe('Lovelace');
    expect(evaluateExpression({ lookup: 'stage', table: { closedwon: 'won' }, default: 'open' }, props)).toBe('won');
    expect(evaluateExpression({ lookup: 'firstname', table: { closedwon: 'won' }, default: 'open' }, props)).toBe('open');
    expect(evaluateExpression({ dateParse: 'd', format: 'DD/MM/YYYY' }, props)).toBe('2024-12-31');
  });

  it('does not read inherited object members as properties', () => {
    expect(evaluateExpression('constructor', {})).toBeNull();
    expect(evaluateExpression({ lookup: { literal: 'toString' }, table: {} }, {})).toBeNull();
  });

  it('parses the supported date formats and rejects impossible dates', () => {
    expect(parseDate('2024-02-29', 'iso')).toBe('2024-02-29');
    expect(parseDate('2023-02-29', 'iso')).toBeNull();
    expect(parseDate('02/03/2024', 'MM/DD/YYYY')).toBe('2024-02-03');
    expect(parseDate('1709251200000', 'epoch_ms')).toBe('2024-03-01T00:00:00.000Z');
    expect(parseDate('1709251200', 'epoch_s')).toBe('2024-03-01T00:00:00.000Z');
    expect(parseDate('soon', 'iso')).toBeNull();
  });

  it('lists the properties an expression reads', () => {
    expect(referencedProperties({ firstNonEmpty: ['a', { divide: ['b', { literal: 2 }] }, { lookup: 'c', table: {} }] }).sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('validatePropertyMappings', () => {
  const known = { companies: ['name', 'domain', 'arr_eur'], contacts: ['email'], deals: ['amount'], calls: ['hs_call_title'] };

  it('accepts valid mappings and normalises them', () => {
    const r = validatePropertyMappings(
      [
        { target_entity: 'stanna.client', target_field: 'mrr', source: { divide: ['arr_eur', { literal: 12 }] } },
        { target_entity: 'stanna.activity', target_field: 'subject', source: 'hs_call_title' },
        { target_entity: 'exante.party', target_field: 'custom.segment', source: { literal: 'smb' } },
      ],
      known,
    );
    expect(r).toEqual({
      ok: true,
      mappings: [
        { targetEntity: 'stanna.client', targetField: 'mrr', source: { divide: ['arr_eur', { literal: 12 }] } },
        { targetEntity: 'stanna.activity', targetField: 'subject', source: 'hs_call_title' },
        { targetEntity: 'exante.party', targetField: 'custom.segment', source: { literal: 'smb' } },
      ],
    });
  });

  it('names an unknown property and where it looked', () => {
    const r = validatePropertyMappings([{ target_entity: 'stanna.client', target_field: 'mrr', source: { divide: ['arr_usd', { literal: 12 }] } }], known);
    expect(r).toEqual({ ok: false, errors: ['mappings[0].source.divide[0]: unknown property "arr_usd" on companies'] });
  });

  it('names bad entities, fields, operators, arities and duplicates', () => {
    const r = validatePropertyMappings(
      [
        { target_entity: 'nope', target_field: 'x', source: 'name' },
        { target_entity: 'stanna.client', target_field: 'colour', source: 'name' },
        { target_entity: 'stanna.client', target_field: 'name', source: { shout: 'name' } },
        { target_entity: 'stanna.client', target_field: 'domain', source: { divide: ['name'] } },
        { target_entity: 'stanna.client', target_field: 'domain', source: 'domain' },
        { target_entity: 'stanna.deal', target_field: 'close_date', source: { dateParse: 'amount', format: 'someday' } },
        'nonsense',
      ],
      known,
    );
    expect(r.ok).toBe(false);
    const errors = (r as { errors: string[] }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mappings\[0\]\.target_entity must be one of/),
        expect.stringMatching(/^mappings\[1\]\.target_field must be one of .*got "colour"/),
        expect.stringMatching(/^mappings\[2\]\.source must have exactly one of/),
        expect.stringMatching(/^mappings\[3\]\.source\.divide must be an array of two/),
        expect.stringMatching(/^mappings\[4\]: stanna\.client\/domain is mapped twice/),
        expect.stringMatching(/^mappings\[5\]\.source\.format must be one of/),
        'mappings[6] must be an object',
      ]),
    );
    expect(validatePropertyMappings({}, known)).toEqual({ ok: false, errors: ['mappings must be an array'] });
  });
});

describe('applyMappings', () => {
  it('coerces mapped values to the target field type and reports what it could not', () => {
    const out = applyMappings(
      'stanna.client',
      [
        { targetEntity: 'stanna.client', targetField: 'mrr', source: { divide: ['arr', { literal: 12 }] } },
        { targetEntity: 'stanna.client', targetField: 'renewal_date', source: 'renews' },
        { targetEntity: 'stanna.client', targetField: 'custom.tier', source: 'tier' },
        { targetEntity: 'stanna.deal', targetField: 'name', source: 'ignored' },
      ],
      { arr: '2400', renews: 'next year', tier: 'gold' },
    );
    expect(out.fields).toEqual({ mrr: 200, renewal_date: null });
    expect(out.custom).toEqual({ tier: 'gold' });
    expect(out.invalid).toEqual([{ field: 'renewal_date', reason: 'expected a date, got "next year"' }]);
  });
});
