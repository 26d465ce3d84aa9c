import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MappingExpression, referencedProperties, TARGET_ENTITIES, validatePropertyMappings } from '@hubsync/domain';
import { FieldError } from '../http/error-body';
import { invalidInput } from '../http/request-errors';
import { SyncEventsService } from '../work/sync-events.service';

interface MappingRow {
  target_entity: string;
  target_field: string;
  source: MappingExpression;
  updated_at: Date;
}

/**
 * Property mappings per organization (`sync.property_mappings`, read by the mapper). Saved only when
 * `validatePropertyMappings` (@hubsync/domain) accepts them against the mirror's property metadata;
 * a change asks the mapper to re-map the affected entities from the mirror (`sync.remap_requests`),
 * without refetching from HubSpot.
 */
@Injectable()
export class MappingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SyncEventsService,
  ) {}

  async get(organizationUid: string) {
    const rows: MappingRow[] = await this.dataSource.query(
      `SELECT target_entity, target_field, source, updated_at FROM sync.property_mappings WHERE organization_uid = $1 ORDER BY target_entity, target_field`,
      [organizationUid],
    );
    return {
      organization_uid: organizationUid,
      mappings: rows.map((r) => ({ target_entity: r.target_entity, target_field: r.target_field, source: r.source, updated_at: new Date(r.updated_at).toISOString() })),
      targets: Object.values(TARGET_ENTITIES).map((t) => ({ target_entity: t.entity, source_object_types: t.sourceObjectTypes, fields: t.fields })),
    };
  }

  async put(organizationUid: string, body: unknown) {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || !('mappings' in body)) {
      throw invalidInput([{ field: 'mappings', message: 'mappings is required: { "mappings": [{ "target_entity", "target_field", "source" }] }' }]);
    }
    const extra = Object.keys(body).filter((k) => k !== 'mappings');
    if (extra.length > 0) throw invalidInput(extra.map((k) => ({ field: k, message: `${k} is not a known field` })));
    const input = (body as { mappings: unknown }).mappings;
    // Only the catalogue's own keys: "__proto__", "constructor"… must read as unknown entities.
    if (Array.isArray(input)) {
      const bad = input
        .map((m, i) => ({ m, i }))
        .filter(({ m }) => m && typeof m === 'object' && typeof m.target_entity === 'string' && !Object.prototype.hasOwnProperty.call(TARGET_ENTITIES, m.target_entity));
      if (bad.length > 0) {
        throw invalidInput(
          bad.map(({ i }) => ({ field: `mappings[${i}].target_entity`, message: `mappings[${i}].target_entity must be one of ${Object.keys(TARGET_ENTITIES).join(', ')}`, allowed: Object.keys(TARGET_ENTITIES) })),
        );
      }
    }
    const { known, unverified } = await this.knownProperties(organizationUid, input);
    const result = validatePropertyMappings(input, known);
    if (!result.ok) throw invalidInput(result.errors.map(toFieldError));

    const previous = await this.dataSource.query(`SELECT target_entity, target_field, source FROM sync.property_mappings WHERE organization_uid = $1`, [organizationUid]);
    const key = (m: { target_entity: string; target_field: string; source: unknown }) => `${m.target_entity}\u0000${m.target_field}\u0000${JSON.stringify(m.source)}`;
    const before = new Set<string>(previous.map(key));
    const after = new Set(result.mappings.map((m) => key({ target_entity: m.targetEntity, target_field: m.targetField, source: m.source })));
    const changedEntities = new Set<string>();
    for (const k of before) if (!after.has(k)) changedEntities.add(k.split('\u0000')[0]);
    for (const k of after) if (!before.has(k)) changedEntities.add(k.split('\u0000')[0]);

    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM sync.property_mappings WHERE organization_uid = $1`, [organizationUid]);
      for (const m of result.mappings) {
        await manager.query(`INSERT INTO sync.property_mappings (organization_uid, target_entity, target_field, source) VALUES ($1, $2, $3, $4)`, [
          organizationUid,
          m.targetEntity,
          m.targetField,
          JSON.stringify(m.source),
        ]);
      }
      for (const entity of changedEntities) {
        await manager.query(`INSERT INTO sync.remap_requests (organization_uid, target_entity, reason) VALUES ($1, $2, 'property mappings changed')`, [organizationUid, entity]);
      }
      await this.events.record(
        {
          organizationUid,
          type: 'mappings.updated',
          message: `Property mappings saved (${result.mappings.length}); re-mapping ${[...changedEntities].join(', ') || 'nothing'}`,
          data: { remapped_entities: [...changedEntities], unverified_properties: unverified },
        },
        manager,
      );
    });
    return { ...(await this.get(organizationUid)), remapping: [...changedEntities].sort(), unverified_properties: unverified };
  }

  /**
   * Property names per object type from the mirror (owner: mapper). For an object type the mirror
   * has not introspected yet nothing can be checked: its referenced properties are accepted and
   * reported back as unverified.
   */
  private async knownProperties(organizationUid: string, input: unknown): Promise<{ known: Record<string, string[]>; unverified: { object_type: string; property: string }[] }> {
    const rows: { object_type: string; name: string }[] = await this.dataSource.query(
      `SELECT object_type, name FROM hubspot.properties WHERE organization_uid = $1 AND NOT archived`,
      [organizationUid],
    );
    const known: Record<string, string[]> = {};
    for (const row of rows) (known[row.object_type] ??= []).push(row.name);
    const introspected = new Set(Object.keys(known));
    const unverified: { object_type: string; property: string }[] = [];
    if (!Array.isArray(input)) return { known, unverified };
    for (const raw of input) {
      const name = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['target_entity'] : undefined;
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(TARGET_ENTITIES, name)) continue;
      const entity = TARGET_ENTITIES[name];
      let referenced: string[] = [];
      try {
        referenced = referencedProperties((raw as { source: MappingExpression }).source);
      } catch {
        continue; // a malformed expression: the validator names the problem
      }
      for (const type of entity.sourceObjectTypes) {
        if (introspected.has(type)) continue;
        const list = (known[type] ??= []);
        for (const property of referenced) {
          if (list.includes(property)) continue;
          list.push(property);
          unverified.push({ object_type: type, property });
        }
      }
    }
    return { known, unverified };
  }
}

/** `mappings[2].source.concat[0]: unknown property "x" on companies` → field `mappings[2].source.concat[0]`. */
function toFieldError(message: string): FieldError {
  const match = /^(mappings(?:\[\d+\])?(?:\.[A-Za-z_]+(?:\[\d+\]|\["[^"]*"\])*)*)/.exec(message);
  return { field: match ? match[1] : 'mappings', message };
}
