import { Injectable, Logger } from '@nestjs/common';
import { defaultDestinationSchema, destinationSchemaNameProblem } from '@hubsync/domain';
import { Sql } from '../database/mapper-database';

export interface Destination {
  schema: string;
  /** The schema the org's views lived in before, when it changed (its views must be dropped). */
  previous: string | null;
}

/**
 * Where an org's typed views live (DESIGN §5): the elt sync's `destination_schema_name` (sync-api's
 * `sync.elt_syncs`, the org's oldest), else the schema already recorded, else `hubspot_<short org id>`
 * (longer when another org or elt sync holds that name). Recorded in `hubspot.destinations`.
 */
@Injectable()
export class DestinationRepository {
  private readonly logger = new Logger(DestinationRepository.name);

  async resolve(sql: Sql, organizationUid: string): Promise<Destination> {
    const [row] = await sql.query<{ elt: string | null; current: string | null }>(
      `SELECT (SELECT destination_schema_name FROM sync.elt_syncs WHERE organization_uid = $1 ORDER BY created_at, id LIMIT 1) AS elt,
              (SELECT schema_name FROM hubspot.destinations WHERE organization_uid = $1) AS current`,
      [organizationUid],
    );
    let wanted = row?.elt ?? null;
    if (wanted && destinationSchemaNameProblem(wanted)) {
      this.logger.error(`organization ${organizationUid}: elt sync destination ${JSON.stringify(wanted)} is unusable (${destinationSchemaNameProblem(wanted)}); keeping the current or default schema`);
      wanted = null;
    }
    wanted ??= row?.current ?? (await this.freeDefault(sql, organizationUid));
    if (wanted === row?.current) return { schema: wanted, previous: null };
    await sql.query(
      `INSERT INTO hubspot.destinations (organization_uid, schema_name) VALUES ($1, $2)
       ON CONFLICT (organization_uid) DO UPDATE SET schema_name = excluded.schema_name, updated_at = now()`,
      [organizationUid, wanted],
    );
    return { schema: wanted, previous: row?.current ?? null };
  }

  private async freeDefault(sql: Sql, organizationUid: string): Promise<string> {
    for (const length of [8, 12, 16, 32]) {
      const candidate = defaultDestinationSchema(organizationUid, length);
      const [taken] = await sql.query<{ taken: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM hubspot.destinations WHERE schema_name = $1 AND organization_uid <> $2)
             OR EXISTS (SELECT 1 FROM sync.elt_syncs WHERE lower(destination_schema_name) = $1 AND organization_uid <> $2) AS taken`,
        [candidate, organizationUid],
      );
      if (!taken.taken) return candidate;
    }
    throw new Error(`no free destination schema name for organization ${organizationUid}`);
  }
}
