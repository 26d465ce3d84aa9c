import { Injectable } from '@nestjs/common';
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
    const result = validateSyncFilters(input, await this.knownProperties(organizationUid));
    if (!result.ok) throw invalidInput(result.errors);
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
   * Property names per object type from the mirror's property metadata (owner: mapper), used to
   * reject criteria on unknown properties. Empty when the mirror has not been introspected yet.
   */
  private async knownProperties(organizationUid: string): Promise<Record<string, Set<string>>> {
    const known: Record<string, Set<string>> = {};
    try {
      const rows: { object_type: string; name: string }[] = await this.dataSource.query(
        `SELECT object_type, name FROM hubspot.properties WHERE organization_uid = $1 AND NOT archived`,
        [organizationUid],
      );
      for (const row of rows) (known[row.object_type] ??= new Set()).add(row.name);
    } catch {
      // The mirror's tables may not exist yet in a fresh database: nothing to check against.
    }
    return known;
  }
}
