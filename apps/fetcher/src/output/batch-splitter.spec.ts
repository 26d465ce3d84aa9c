import fc from 'fast-check';
import { packGroups, splitByCountAndBytes } from './batch-splitter';

describe('splitByCountAndBytes', () => {
  it('caps every batch at the record count and the byte budget, keeping order and every item', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 2_000 }), { maxLength: 400 }), fc.integer({ min: 1, max: 200 }), (items, maxItems) => {
        const maxBytes = 8_000;
        const batches = splitByCountAndBytes(items, maxItems, maxBytes, 512);
        expect(batches.flat()).toEqual(items);
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(maxItems);
          expect(Buffer.byteLength(JSON.stringify(batch)) + 512).toBeLessThanOrEqual(maxBytes);
        }
      }),
    );
  });

  it('refuses an item that cannot fit in a message alone', () => {
    expect(() => splitByCountAndBytes(['x'.repeat(10_000)], 200, 8_000)).toThrow(/does not fit/);
  });
});

describe('packGroups', () => {
  it('never splits a group (an association set) across batches', () => {
    const groups = Array.from({ length: 50 }, (_, i) => Array.from({ length: (i % 7) + 1 }, (_, j) => `${i}:${j}`));
    const packs = packGroups(groups, 10, 100_000);
    expect(packs.flat()).toEqual(groups);
    for (const pack of packs) expect(pack.flat().length).toBeLessThanOrEqual(10 + 6);
  });
});
