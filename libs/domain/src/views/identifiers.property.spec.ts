import fc from 'fast-check';
import { normaliseDomain } from '../validation/formats';
import { allocateIdentifier, quoteIdent, utf8Bytes } from './sql-identifiers';

describe('identifier properties', () => {
  it('allocates distinct identifiers of at most 63 bytes for any names, hostile or not', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 120 }), { maxLength: 60 }), (names) => {
        const taken = new Set<string>();
        for (const n of names) {
          const id = allocateIdentifier(n, taken);
          expect(utf8Bytes(id)).toBeLessThanOrEqual(63);
          expect(taken.has(id)).toBe(false);
          taken.add(id);
          // a quoted identifier is one token: it starts and ends with a quote and every inner quote is doubled
          expect(quoteIdent(id).slice(1, -1).replace(/""/g, '')).not.toContain('"');
        }
      }),
    );
  });

  it('normalises domains idempotently', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        const once = normaliseDomain(raw);
        expect(normaliseDomain(once)).toBe(once);
      }),
    );
  });
});
