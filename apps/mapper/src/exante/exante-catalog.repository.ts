import { Injectable } from '@nestjs/common';
import { jsonParam } from '../database/json-param';
import { MappingRun } from '../models/mapping-run';

export interface CatalogEntry {
  external_id: string;
  display_name: string;
}

/** `exante.external_object_catalog`: every deal, company and contact an Exante sync reached, with first/last seen. */
@Injectable()
export class ExanteCatalogRepository {
  async touch(run: MappingRun, objectType: 'deals' | 'companies' | 'contacts', reached: CatalogEntry[], archivedIds: string[]): Promise<void> {
    if (reached.length === 0 && archivedIds.length === 0) return;
    await run.sql.query(
      `WITH gone AS (
         UPDATE exante.external_object_catalog SET archived = true, last_seen_at = $6::timestamptz
          WHERE organization_uid = $1 AND object_type = $2 AND external_id = ANY($5::text[])
       )
       INSERT INTO exante.external_object_catalog AS c (organization_uid, object_type, external_id, display_name, portal_id, archived, first_seen_at, last_seen_at, last_run_id)
       SELECT $1, $2, x.external_id, x.display_name, $3, false, $6::timestamptz, $6::timestamptz, $4::uuid
         FROM jsonb_to_recordset($7::jsonb) AS x(external_id text, display_name text) ORDER BY x.external_id
       ON CONFLICT (organization_uid, object_type, external_id) DO UPDATE SET
         display_name = excluded.display_name, portal_id = excluded.portal_id, archived = false,
         last_seen_at = excluded.last_seen_at, last_run_id = COALESCE(excluded.last_run_id, c.last_run_id)`,
      [run.organizationUid, objectType, run.portalId, run.runId, archivedIds, run.now.toISOString(), jsonParam(reached)],
    );
  }
}
