import fc from 'fast-check';
import { isoOf, toRecord } from './record-mapping';

/** What isoOf did for every string before its fast path: parse, then format. */
function parsedAndFormatted(value: string): string {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

describe('isoOf', () => {
  it('gives canonical-looking timestamps exactly what parsing and formatting gives (invalid dates included)', () => {
    const canonicalLooking = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(60), two(60), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`);
    fc.assert(fc.property(canonicalLooking, (value) => expect(isoOf(value)).toBe(parsedAndFormatted(value))), { numRuns: 5_000 });
  });

  it('normalises other forms as before', () => {
    for (const value of ['2024-02-29T10:00:00Z', '2024-02-31T00:00:00.000Z', '2024-01-01T24:00:00.000Z', '2023-02-29T00:00:00.000Z', '1700000000000', '2024-05-06', 'garbage']) {
      expect(isoOf(value)).toBe(parsedAndFormatted(value));
    }
    expect(isoOf(new Date('2024-05-06T07:08:09.010Z'))).toBe('2024-05-06T07:08:09.010Z');
    expect(isoOf(1_700_000_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(isoOf('')).toBeNull();
  });
});

describe('toRecord', () => {
  it('maps HubSpot record JSON, with string timestamps kept canonical', () => {
    const raw = { id: 7, properties: { a: 'x', b: null, c: 5 }, createdAt: '2024-01-02T03:04:05.678Z', updatedAt: '2024-01-02T03:04:05Z', archived: false };
    expect(toRecord(raw, 'op')).toEqual({
      id: '7',
      properties: { a: 'x', b: null, c: '5' },
      createdAt: '2024-01-02T03:04:05.678Z',
      updatedAt: '2024-01-02T03:04:05.000Z',
      archived: false,
    });
    expect(() => toRecord({ properties: {} }, 'op')).toThrow(/results\[\]\.id/);
  });
});
