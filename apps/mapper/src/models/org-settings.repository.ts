import { Injectable, Logger } from '@nestjs/common';
import { DEFAULT_STANNA_CONFIG, exanteScopeFromJob, parseStoredMappings, PipelineDirectory, PipelineInfo, resolveStannaConfig, StageInfo, StannaConfig } from '@hubsync/domain';
import { Sql } from '../database/mapper-database';
import { OrgMappingSettings } from './mapping-run';

/** Loads an org's Stanna settings, status map, property mappings and Exante scope in one statement. */
@Injectable()
export class OrgSettingsRepository {
  private readonly logger = new Logger(OrgSettingsRepository.name);

  async load(sql: Sql, organizationUid: string, runId: string | null): Promise<OrgMappingSettings> {
    const [row] = await sql.query<{ config: unknown; status_map: Record<string, string> | null; mappings: any[] | null; exante_job: { mode: unknown; filters: unknown } | null }>(
      `SELECT
         (SELECT config FROM stanna.settings WHERE organization_uid = $1) AS config,
         (SELECT jsonb_object_agg(lower(lifecycle_stage), client_status) FROM stanna.client_status_map WHERE organization_uid = $1) AS status_map,
         (SELECT jsonb_agg(jsonb_build_object('target_entity', target_entity, 'target_field', target_field, 'source', source) ORDER BY target_entity, target_field)
            FROM sync.property_mappings WHERE organization_uid = $1) AS mappings,
         (SELECT jsonb_build_object('mode', j.mode, 'filters', j.filters) FROM sync.jobs j
           WHERE j.organization_uid = $1 AND j.mode IS NOT NULL
           ORDER BY ($2::uuid IS NOT NULL AND j.run_id IS NOT DISTINCT FROM $2::uuid) DESC, j.created_at DESC LIMIT 1) AS exante_job`,
      [organizationUid, runId],
    );
    const stanna = this.stannaConfig(organizationUid, row?.config);
    return {
      stanna,
      statusMap: { ...lowerKeys(stanna.lifecycleStatusMap), ...(row?.status_map ?? {}) },
      mappings: parseStoredMappings(row?.mappings ?? []),
      exante: row?.exante_job ? exanteScopeFromJob(row.exante_job.mode, row.exante_job.filters) : null,
    };
  }

  /** Deal pipelines and stages from the mirror. */
  async dealPipelines(sql: Sql, organizationUid: string): Promise<PipelineDirectory> {
    const rows = await sql.query<{ pipeline_id: string; pipeline_label: string; stage_id: string | null; label: string | null; display_order: number | null; probability: string | null; is_closed: boolean | null }>(
      `SELECT p.pipeline_id, p.label AS pipeline_label, s.stage_id, s.label, s.display_order, s.probability, s.is_closed
         FROM hubspot.pipelines p LEFT JOIN hubspot.pipeline_stages s
           ON s.organization_uid = p.organization_uid AND s.object_type = p.object_type AND s.pipeline_id = p.pipeline_id
        WHERE p.organization_uid = $1 AND p.object_type = 'deals'`,
      [organizationUid],
    );
    const out = new Map<string, PipelineInfo & { stages: Map<string, StageInfo> }>();
    for (const r of rows) {
      let p = out.get(r.pipeline_id);
      if (!p) out.set(r.pipeline_id, (p = { id: r.pipeline_id, label: r.pipeline_label, stages: new Map() }));
      if (r.stage_id) {
        p.stages.set(r.stage_id, {
          id: r.stage_id,
          label: r.label ?? r.stage_id,
          displayOrder: r.display_order ?? 0,
          probability: r.probability === null ? null : Number(r.probability),
          isClosed: r.is_closed,
        });
      }
    }
    return out;
  }

  private stannaConfig(organizationUid: string, raw: unknown): StannaConfig {
    try {
      return resolveStannaConfig(raw ?? null);
    } catch (error) {
      // A bad stored config must not stop the org's batches: defaults apply until it is fixed.
      this.logger.error(`organization ${organizationUid}: invalid stanna settings, using defaults: ${(error as Error).message}`);
      return DEFAULT_STANNA_CONFIG;
    }
  }
}

function lowerKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}
