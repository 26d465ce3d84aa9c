import { HubspotRecordV1 } from '@hubsync/contracts';
import { coerceRecordProperties, DROPPED_FIELD_RULE, sanitizeText, SKIP_RULES } from '@hubsync/domain';
import { MirrorWrite } from '../mirror/mirror-objects.repository';
import { SkippedRecord } from '../progress/skipped-records.repository';

export interface PreparedRecords {
  writes: MirrorWrite[];
  /** Records that cannot be stored at all (no id, no usable updatedAt). */
  rejected: SkippedRecord[];
  /** Values dropped from stored records, one note per record. */
  droppedFields: SkippedRecord[];
}

/**
 * Turns a batch's records into mirror rows: ids and timestamps checked, property values coerced to
 * their HubSpot types (or dropped and noted), one row per id (the newest, if a batch repeats one).
 * Never throws: whatever HubSpot sent, the batch is stored or the record is reported.
 */
export function prepareRecords(records: unknown[], types: ReadonlyMap<string, string>): PreparedRecords {
  const byId = new Map<string, MirrorWrite>();
  const rejected: SkippedRecord[] = [];
  const dropped = new Map<string, SkippedRecord>();
  records.forEach((raw, index) => {
    const r = (raw ?? {}) as Partial<HubspotRecordV1> & Record<string, unknown>;
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? sanitizeText(String(r.id)).trim() : '';
    if (!id) {
      rejected.push({ objectId: `#${index}`, rule: SKIP_RULES.invalidRecord, detail: `record ${index} has no id` });
      return;
    }
    const updatedAt = isoTimestamp(r.updatedAt);
    if (!updatedAt) {
      rejected.push({ objectId: id, rule: SKIP_RULES.invalidRecord, detail: `updatedAt ${JSON.stringify(r.updatedAt ?? null)} is not a timestamp` });
      return;
    }
    const { properties, dropped: lost } = coerceRecordProperties(r.properties, types);
    const write: MirrorWrite = {
      id,
      properties,
      history: history(r.propertiesWithHistory),
      created_at: isoTimestamp(r.createdAt),
      updated_at: updatedAt,
      archived: r.archived === true,
      archived_at: r.archived === true ? (isoTimestamp(r.archivedAt) ?? updatedAt) : null,
    };
    const current = byId.get(id);
    if (!current || current.updated_at <= write.updated_at) byId.set(id, write);
    if (lost.length) dropped.set(id, { objectId: id, rule: DROPPED_FIELD_RULE, detail: lost.map((d) => `${d.property}: ${d.reason}`).join('; ') });
  });
  return { writes: [...byId.values()], rejected, droppedFields: [...dropped.values()] };
}

function isoTimestamp(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value !== 'string' || value.trim() === '') return null;
  const v = value.trim();
  const t = /^\d{12,14}$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(t) || t < 0 || t > 253402300799999) return null;
  return new Date(t).toISOString();
}

/** `propertiesWithHistory`: { property: [{ value, timestamp, sourceType }] }, kept when well-formed. */
function history(raw: unknown): Record<string, unknown> | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const out: Record<string, unknown> = {};
  for (const [name, versions] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(versions)) continue;
    out[sanitizeText(name)] = versions
      .filter((v) => v && typeof v === 'object')
      .map((v) => ({ value: (v as any).value ?? null, timestamp: (v as any).timestamp ?? null, sourceType: (v as any).sourceType ?? null }));
  }
  return Object.keys(out).length ? out : null;
}
