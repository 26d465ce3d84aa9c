import { coerceRecordProperties } from './record-coercion';
import { sqlTypeForHubspotType } from './property-sql-type';
import { coerceValue, sanitizeText } from './value-coercion';

describe('sqlTypeForHubspotType', () => {
  it.each([
    ['number', 'numeric'],
    ['datetime', 'timestamptz'],
    ['date', 'date'],
    ['bool', 'boolean'],
    ['enumeration', 'text'],
    ['string', 'text'],
    ['phone_number', 'text'],
    ['something_new', 'text'],
  ])('%s → %s', (hubspot, sql) => expect(sqlTypeForHubspotType(hubspot)).toBe(sql));
});

describe('coerceValue', () => {
  it('keeps well-formed values as they are', () => {
    expect(coerceValue('number', '12.5')).toEqual({ kind: 'ok', value: '12.5' });
    expect(coerceValue('datetime', '2024-03-01T10:00:00.000Z')).toEqual({ kind: 'ok', value: '2024-03-01T10:00:00.000Z' });
    expect(coerceValue('datetime', '1709287200000')).toEqual({ kind: 'ok', value: '1709287200000' });
    expect(coerceValue('date', '2024-02-29')).toEqual({ kind: 'ok', value: '2024-02-29' });
    expect(coerceValue('bool', 'true')).toEqual({ kind: 'ok', value: 'true' });
    expect(coerceValue('string', 'x"; drop table y; --')).toEqual({ kind: 'ok', value: 'x"; drop table y; --' });
    expect(coerceValue('number', null)).toEqual({ kind: 'ok', value: null });
  });

  it('coerces an integer in a date or datetime property (Sequin: "an integer in a date field")', () => {
    expect(coerceValue('date', 1709251200000)).toEqual({ kind: 'coerced', value: '2024-03-01', from: 'number 1709251200000' });
    expect(coerceValue('datetime', 1709287200)).toMatchObject({ kind: 'coerced', value: '2024-03-01T10:00:00.000Z' });
    expect(coerceValue('date', '2024-03-01T23:00:00Z')).toMatchObject({ kind: 'coerced', value: '2024-03-01' });
  });

  it('coerces unambiguous numbers and booleans, drops the rest with a reason', () => {
    expect(coerceValue('number', 42)).toEqual({ kind: 'coerced', value: '42', from: 'number' });
    expect(coerceValue('number', ' 7 ')).toMatchObject({ kind: 'coerced', value: '7' });
    expect(coerceValue('number', 'twelve')).toEqual({ kind: 'dropped', reason: 'expected a number, got "twelve"' });
    expect(coerceValue('number', '1,234')).toMatchObject({ kind: 'dropped' });
    expect(coerceValue('bool', 'Yes')).toMatchObject({ kind: 'coerced', value: 'true' });
    expect(coerceValue('bool', 'maybe')).toMatchObject({ kind: 'dropped' });
    expect(coerceValue('date', '2023-02-30')).toMatchObject({ kind: 'dropped' });
    expect(coerceValue('datetime', 'soon')).toMatchObject({ kind: 'dropped' });
    expect(coerceValue('datetime', 12345678901)).toMatchObject({ kind: 'dropped' }); // 11 digits: seconds or ms?
  });

  it('turns empty strings in typed properties into null, and non-strings in text properties into text', () => {
    expect(coerceValue('number', '')).toEqual({ kind: 'ok', value: null });
    expect(coerceValue('string', 5)).toEqual({ kind: 'coerced', value: '5', from: 'number' });
    expect(coerceValue('string', { a: 1 })).toEqual({ kind: 'coerced', value: '{"a":1}', from: 'object' });
  });

  it('removes what PostgreSQL cannot store (NUL, lone surrogates)', () => {
    expect(sanitizeText('a\u0000b')).toBe('ab');
    expect(sanitizeText('x\uD800y')).toBe('x\uFFFDy');
    expect(sanitizeText('ok 😀')).toBe('ok 😀');
  });
});

describe('coerceRecordProperties', () => {
  it('cleans a record against its property types and reports dropped values', () => {
    const types = new Map([
      ['amount', 'number'],
      ['closedate', 'datetime'],
    ]);
    const out = coerceRecordProperties({ amount: 'abc', closedate: 1709287200000, dealname: 'Big', 'bad\u0000name': 'v' }, types);
    expect(out.properties).toEqual({ amount: null, closedate: '2024-03-01T10:00:00.000Z', dealname: 'Big', badname: 'v' });
    expect(out.dropped).toEqual([{ property: 'amount', reason: 'expected a number, got "abc"' }]);
    expect(out.coerced).toEqual(['closedate']);
  });

  it('never throws on garbage input', () => {
    expect(coerceRecordProperties(null, new Map()).properties).toEqual({});
    expect(coerceRecordProperties([1, 2], new Map()).properties).toEqual({});
  });
});
