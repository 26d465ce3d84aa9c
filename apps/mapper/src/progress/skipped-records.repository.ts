import { Injectable } from '@nestjs/common';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';

export interface SkippedRecord {
  objectId: string;
  rule: string;
  detail: string;
}

/**
 * The run key of the unique index `skipped_records_once` (…, COALESCE(run_id, NO_RUN), …): matching on
 * that expression lets the delete use the index; `run_id IS NOT DISTINCT FROM $2` cannot, and scanned
 * every skipped row of the organization once per batch.
 */
const NO_RUN = '00000000-0000-0000-0000-000000000000';

/**
 * `sync.skipped_records`: why a record was not mapped (a skip rule) or which of its values were
 * dropped (`dropped_field`). The rows of a run describe each record's latest outcome in that run: the
 * records just mapped lose their previous rows first, so a record fixed mid-run is no longer listed
 * and the rows keep matching `total_skipped`.
 */
@Injectable()
export class SkippedRecordsRepository {
  async replace(sql: Sql, organizationUid: string, runId: string | null, objectType: string, mappedIds: string[], records: SkippedRecord[]): Promise<void> {
    if (mappedIds.length) {
      await sql.query(
        `DELETE FROM sync.skipped_records
          WHERE organization_uid = $1 AND COALESCE(run_id, '${NO_RUN}'::uuid) = COALESCE($2::uuid, '${NO_RUN}'::uuid)
            AND object_type = $3 AND object_id = ANY($4::text[])`,
        [organizationUid, runId, objectType, mappedIds],
      );
    }
    if (records.length === 0) return;
    await sql.query(
      `INSERT INTO sync.skipped_records (organization_uid, run_id, object_type, object_id, rule, detail)
       SELECT DISTINCT ON (x.object_id, x.rule) $1::uuid, $2::uuid, $3, x.object_id, x.rule, x.detail
         FROM jsonb_to_recordset($4::jsonb) AS x(object_id text, rule text, detail text)
       ON CONFLICT (organization_uid, COALESCE(run_id, '${NO_RUN}'::uuid), object_type, object_id, rule)
       DO UPDATE SET detail = excluded.detail, created_at = now()`,
      [organizationUid, runId, objectType, jsonParam(records.map((r) => ({ object_id: r.objectId, rule: r.rule, detail: r.detail.slice(0, 2000) })))],
    );
  }
}
