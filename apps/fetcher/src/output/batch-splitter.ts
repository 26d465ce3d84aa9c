/**
 * Splits items into batches of at most `maxItems` and at most `maxBytes` of JSON (JetStream's
 * max_payload is 1 MB, DESIGN §3), keeping order. `overheadBytes` is the envelope around the items.
 */
export function splitByCountAndBytes<T>(items: T[], maxItems: number, maxBytes: number, overheadBytes = 1024): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = overheadBytes;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (overheadBytes + size > maxBytes) {
      throw new Error(`one item of ${size} bytes does not fit in a ${maxBytes}-byte message`);
    }
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = overheadBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
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
