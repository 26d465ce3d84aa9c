import fc from 'fast-check';
import { chunkPropertiesForUrl } from './property-chunks';

const fixed = 'https://api.hubapi.com/crm/v3/objects/contacts?limit=100&after=123456&archived=false';

/** The URL the SDK builds: repeated `properties` params appended to the fixed URL. */
function urlFor(properties: string[]): string {
  const url = new URL(fixed);
  for (const p of properties) url.searchParams.append('properties', p);
  return url.toString();
}

describe('chunkPropertiesForUrl', () => {
  it('keeps every URL under 8 KB for 1,000 long property names, losing none', () => {
    const properties = Array.from({ length: 1000 }, (_, i) => `custom_property_with_a_rather_long_name_${i}`);
    const chunks = chunkPropertiesForUrl(fixed, properties, 8000);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(Buffer.byteLength(urlFor(chunk))).toBeLessThanOrEqual(8000);
    expect(chunks.flat()).toEqual(properties);
  });

  it('holds for names needing percent-encoding and any limit', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 120 }), fc.integer({ min: 400, max: 9000 }), (names, max) => {
        const chunks = chunkPropertiesForUrl(fixed, names, max);
        for (const chunk of chunks) expect(Buffer.byteLength(urlFor(chunk))).toBeLessThanOrEqual(max);
        expect(chunks.flat()).toEqual(names);
      }),
    );
  });

  it('uses one chunk when everything fits and refuses a name that cannot fit alone', () => {
    expect(chunkPropertiesForUrl(fixed, ['email', 'firstname'])).toEqual([['email', 'firstname']]);
    expect(() => chunkPropertiesForUrl(fixed, ['x'.repeat(9000)])).toThrow(/alone makes the URL longer/);
  });
});
