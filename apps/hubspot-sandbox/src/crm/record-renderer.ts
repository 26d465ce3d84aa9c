import { encodeAssociationCursor } from './association-cursor';
import { isoFromMs } from './iso-time';
import { Random } from '../state/random';
import { ObjectTypeInfo, Portal } from './portal';
import { SearchSnapshot } from './store/object-table';

type SnapshotState = NonNullable<SearchSnapshot['state']>;

export interface RenderOptions {
  /** Requested properties (undefined = the type's default properties). */
  properties?: string[];
  propertiesWithHistory?: string[];
  /** Probability of a wrong-typed value (realism knob). */
  glitchRate?: number;
  random?: Random;
  /** Render what search's index holds for a lagging row. */
  snapshot?: SnapshotState;
}

const iso = isoFromMs;

/**
 * Property names a read returns: the requested ones that exist (unknown names are ignored, as
 * HubSpot does) plus the id and the create/modify dates HubSpot always includes; the type's
 * defaults when none are requested.
 */
export function selectProperties(info: ObjectTypeInfo, requested?: string[]): string[] {
  if (!requested || requested.length === 0) return info.defaultProperties;
  const out = new Set<string>(['hs_object_id', info.createDateProperty, info.modifiedDateProperty]);
  for (const p of requested) {
    const def = info.properties.get(p);
    if (def && !def.archived) out.add(p);
  }
  return [...out];
}

/**
 * One record as `SimplePublicObject` (SDK lib/codegen/crm/objects/models/SimplePublicObject.d.ts):
 * `{ id, properties (string|null values), propertiesWithHistory?, createdAt, updatedAt, archived, archivedAt? }`.
 */
export function renderRecord(info: ObjectTypeInfo, row: number, names: string[], options: RenderOptions = {}): Record<string, unknown> {
  return recordRenderer(info, names, options)(row, options.snapshot);
}

/**
 * A renderer for many rows with the same property list: per-name work (virtual or column) is
 * resolved once, so a 200-record page costs little more than its JSON.
 */
export function recordRenderer(info: ObjectTypeInfo, names: string[], options: RenderOptions = {}): (row: number, snapshot?: SnapshotState) => Record<string, unknown> {
  const table = info.table;
  const kinds = names.map((name) => {
    if (name === 'hs_object_id') return { name, kind: 'id' as const };
    if (table.createDateProperties.includes(name)) return { name, kind: 'created' as const };
    if (table.modifiedDateProperties.includes(name)) return { name, kind: 'updated' as const };
    return { name, kind: 'column' as const, column: table.column(name) };
  });
  const glitchRate = options.glitchRate ?? 0;
  const history = options.propertiesWithHistory?.filter((n) => info.properties.has(n)) ?? [];
  return (row, snap) => {
    const createdAt = snap ? snap.createdAt : table.createdAt[row];
    const updatedAt = snap ? snap.updatedAt : table.updatedAt[row];
    const createdIso = iso(createdAt);
    const updatedIso = iso(updatedAt);
    const id = String(table.ids[row]);
    const properties: Record<string, string | null> = {};
    for (const k of kinds) {
      let value: string | null;
      switch (k.kind) {
        case 'id': value = id; break;
        case 'created': value = createdIso; break;
        case 'updated': value = updatedIso; break;
        default: value = snap ? snap.values.get(k.name) ?? null : k.column ? k.column.get(row) : table.value(row, k.name);
      }
      if (value !== null && glitchRate > 0 && options.random?.chance(glitchRate)) value = glitch(info, k.name, value);
      properties[k.name] = value;
    }
    const out: Record<string, unknown> = { id, properties };
    if (options.propertiesWithHistory) {
      const withHistory: Record<string, unknown[]> = {};
      for (const name of history) {
        // Newest first, as HubSpot lists property history; paged by 50 in practice (HUBSPOT-FACTS.md).
        withHistory[name] = table.historyOf(row, name).slice(-50).reverse().map((h) => ({
          value: h.value, timestamp: iso(h.timestamp), sourceType: h.sourceType, ...(h.sourceId ? { sourceId: h.sourceId } : {}),
        }));
      }
      out['propertiesWithHistory'] = withHistory;
    }
    out['createdAt'] = createdIso;
    out['updatedAt'] = updatedIso;
    const archivedAt = table.archivedAt[row];
    out['archived'] = !snap && archivedAt !== 0;
    if (!snap && archivedAt !== 0) out['archivedAt'] = iso(archivedAt);
    return out;
  };
}

/**
 * Wrong-typed values seen in the wild (Sequin's HubSpot write-up): an epoch-ms integer in a
 * datetime property, a non-numeric string in a number property.
 */
function glitch(info: ObjectTypeInfo, name: string, value: string): string {
  const def = info.properties.get(name);
  if (!def) return value;
  if (def.type === 'datetime' || def.type === 'date') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : String(t);
  }
  if (def.type === 'number') return `${value} (approx.)`;
  return value;
}

/** `associations` of list/get responses: `{ [toTypeName]: { results: [{id, type}], paging? } }`, 100 per type. */
export function renderAssociations(portal: Portal, info: ObjectTypeInfo, row: number, targets: ObjectTypeInfo[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const target of targets) {
    const list = portal.associations.list(info.objectTypeId, row, target.objectTypeId);
    if (!list || list.length === 0) continue;
    const results: Array<{ id: string; type: string }> = [];
    let more = false;
    let objects = 0;
    let lastId = 0;
    for (let i = 0; i < list.length; i += 2) {
      const toRow = list[i];
      if (target.table.archivedAt[toRow] !== 0) continue;
      if (objects === 100) {
        more = true;
        break;
      }
      objects++;
      lastId = target.table.ids[toRow];
      const id = String(lastId);
      for (const typeId of portal.associations.typeIdsOf(list[i + 1])) {
        const def = portal.associationTypes.find(typeId)?.def;
        results.push({ id, type: def?.name ?? String(typeId) });
      }
    }
    if (results.length === 0) continue;
    const entry: Record<string, unknown> = { results };
    if (more) {
      const after = encodeAssociationCursor(lastId);
      entry['paging'] = { next: { after, link: `/crm/v4/objects/${info.name}/${info.table.ids[row]}/associations/${target.name}?after=${after}` } };
    }
    out[target.name] = entry;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
