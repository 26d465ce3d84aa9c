import { createHash } from 'node:crypto';
import { ObjectTypeInfo, Portal } from '../crm/portal';

/**
 * What the sandbox holds, for tests to compare a mirror against. Checksums are sha256 (hex) over
 * one line per record / association in ascending id order, so a consumer can compute the same
 * digest from its own copy:
 *   records:      `${id}:${updatedAtEpochMs}:${archived ? 1 : 0}\n`
 *   associations: `${fromId}:${toId}:${typeIds ascending, comma-joined}\n`
 */
export function objectTruth(info: ObjectTypeInfo, includeRecords: boolean) {
  const table = info.table;
  const hash = createHash('sha256');
  const records: Array<{ id: string; updatedAt: string; updatedAtMs: number; archived: boolean }> = [];
  for (let row = 0; row < table.size; row++) {
    const archived = table.archivedAt[row] !== 0;
    const id = table.ids[row];
    const updated = table.updatedAt[row];
    hash.update(`${id}:${updated}:${archived ? 1 : 0}\n`);
    if (includeRecords) records.push({ id: String(id), updatedAt: new Date(updated).toISOString(), updatedAtMs: updated, archived });
  }
  return {
    objectTypeId: info.objectTypeId,
    objectType: info.name,
    total: table.size,
    live: table.liveCount,
    archived: table.archivedCount,
    checksum: hash.digest('hex'),
    ...(includeRecords ? { records } : {}),
  };
}

/** Associations between live records of two types (what the v4 API would return). */
export function associationTruth(portal: Portal, from: ObjectTypeInfo, to: ObjectTypeInfo, includePairs: boolean) {
  const pairs: Array<{ fromId: string; toId: string; typeIds: number[] }> = [];
  const lines: Array<[number, number, string]> = [];
  portal.associations.forEachEdge(from.objectTypeId, to.objectTypeId, (fromRow, toRow, typeIds) => {
    if (from.table.archivedAt[fromRow] !== 0 || to.table.archivedAt[toRow] !== 0) return;
    lines.push([from.table.ids[fromRow], to.table.ids[toRow], typeIds.join(',')]);
  });
  lines.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hash = createHash('sha256');
  for (const [f, t, types] of lines) {
    hash.update(`${f}:${t}:${types}\n`);
    if (includePairs) pairs.push({ fromId: String(f), toId: String(t), typeIds: types.split(',').map(Number) });
  }
  return {
    fromObjectTypeId: from.objectTypeId,
    toObjectTypeId: to.objectTypeId,
    count: lines.length,
    checksum: hash.digest('hex'),
    ...(includePairs ? { pairs } : {}),
  };
}

export function portalCounts(portal: Portal) {
  const counts: Record<string, { total: number; live: number; archived: number }> = {};
  for (const info of portal.types.values()) counts[info.name] = { total: info.table.size, live: info.table.liveCount, archived: info.table.archivedCount };
  return counts;
}
