/**
 * Splits items into batches of at most `maxItems` and at most `maxBytes` of JSON (JetStream's
 * max_payload is 1 MB, DESIGN §3), keeping order. `overheadBytes` is the envelope around the items.
 */
export function splitByCountAndBytes<T>(items: T[], maxItems: number, maxBytes: number, overheadBytes = 1024): T[][] {
  const sizes = items.map((item) => Buffer.byteLength(JSON.stringify(item)));
  return splitBySizes(sizes, maxItems, maxBytes, overheadBytes).map(([start, end]) => items.slice(start, end));
}

/**
 * The same split from the items' serialised sizes (bytes, without separators): `[start, end)` index
 * ranges, so a producer that already holds each item's JSON sizes and assembles batches without
 * serialising twice.
 */
export function splitBySizes(sizes: number[], maxItems: number, maxBytes: number, overheadBytes = 1024): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  let bytes = overheadBytes;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i] + 1; // the comma
    if (overheadBytes + size > maxBytes) {
      throw new Error(`one item of ${size} bytes does not fit in a ${maxBytes}-byte message`);
    }
    if (i > start && (i - start >= maxItems || bytes + size > maxBytes)) {
      ranges.push([start, i]);
      start = i;
      bytes = overheadBytes;
    }
    bytes += size;
  }
  if (sizes.length > start) ranges.push([start, sizes.length]);
  return ranges;
}

/** Groups consecutive items by key, then packs whole groups (an association set must not be split). */
export function packGroups<T>(groups: T[][], maxItems: number, maxBytes: number, overheadBytes = 1024): T[][][] {
  const out: T[][][] = [];
  let current: T[][] = [];
  let count = 0;
  let bytes = overheadBytes;
  for (const group of groups) {
    const size = group.reduce((n, item) => n + Buffer.byteLength(JSON.stringify(item)) + 1, 0) + 32;
    if (current.length > 0 && (count + group.length > maxItems || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      count = 0;
      bytes = overheadBytes;
    }
    current.push(group);
    count += group.length;
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}
