import { Injectable } from '@nestjs/common';
import { criteriaToFilters, PropertyInfo, SearchQueryError } from '@hubsync/hubspot';
import { DataSource } from 'typeorm';
import { invalidInput } from '../http/request-errors';
import { SyncEventsService } from '../work/sync-events.service';
import { CompiledFilters, compileFilterCriteria, SyncFilters, validateSyncFilters } from './sync-filters';

export interface StoredFilters {
  organization_uid: string;
  filters: SyncFilters;
  updated_at: string | null;
}

/** Per-organization filters (`sync.sync_filters`), validated on save and copied into every sync job. */
@Injectable()
export class FiltersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SyncEventsService,
  ) {}

  async get(organizationUid: string): Promise<StoredFilters> {
    const rows = await this.dataSource.query(`SELECT filters, updated_at FROM sync.sync_filters WHERE organization_uid = $1`, [organizationUid]);
    return {
      organization_uid: organizationUid,
      filters: rows[0]?.filters ?? {},
      updated_at: rows[0]?.updated_at ? new Date(rows[0].updated_at).toISOString() : null,
    };
  }

  async put(organizationUid: string, userUid: string, input: unknown): Promise<StoredFilters> {
    const properties = await this.knownProperties(organizationUid);
    const names = Object.fromEntries(Object.entries(properties).map(([type, map]) => [type, new Set(map.keys())]));
    const result = validateSyncFilters(input, names);
    if (!result.ok) throw invalidInput(result.errors);
    // The fetcher turns these criteria into Search filters with the same function: what it would
    // refuse (e.g. null compared with a text property) is refused here, at save time.
    for (const [objectType, list] of Object.entries(compileFilterCriteria(result.filters, new Date()).criteria)) {
      try {
        criteriaToFilters(list, objectType, properties[objectType]);
      } catch (error) {
        if (error instanceof SearchQueryError) throw invalidInput([{ field: `criteria.${objectType}`, message: `criteria.${objectType}: ${error.message}` }]);
        throw error;
      }
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO sync.sync_filters (organization_uid, filters, updated_by_user_uid, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (organization_uid) DO UPDATE SET filters = EXCLUDED.filters, updated_by_user_uid = EXCLUDED.updated_by_user_uid, updated_at = now()`,
        [organizationUid, JSON.stringify(result.filters), userUid],
      );
      await this.events.record({ organizationUid, type: 'filters.updated', message: 'Sync filters updated', data: { filters: result.filters } }, manager);
    });
    return this.get(organizationUid);
  }

  /** The org's filters as job criteria (evaluated now: "engaged within 90 days" is relative). */
  async compiled(organizationUid: string): Promise<CompiledFilters> {
    const { filters } = await this.get(organizationUid);
    return compileFilterCriteria(filters, new Date());
  }

  /**
   * Property metadata per object type from the mirror (owner: mapper), used to reject criteria on
   * unknown properties. Empty for a type the mirror has not introspected yet.
   */
  private async knownProperties(organizationUid: string): Promise<Record<string, Map<string, PropertyInfo>>> {
    const known: Record<string, Map<string, PropertyInfo>> = {};
    const rows: { object_type: string; name: string; type: string; field_type: string | null }[] = await this.dataSource.query(
      `SELECT object_type, name, type, field_type FROM hubspot.properties WHERE organization_uid = $1 AND NOT archived`,
      [organizationUid],
    );
    for (const row of rows) (known[row.object_type] ??= new Map()).set(row.name, { name: row.name, type: row.type, fieldType: row.field_type ?? undefined });
    return known;
  }
}
