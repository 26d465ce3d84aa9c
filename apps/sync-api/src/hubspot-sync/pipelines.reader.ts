import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface MirrorStage {
  id: string;
  label: string;
  display_order: number;
}

export interface MirrorPipeline {
  id: string;
  label: string;
  display_order: number;
  stages: MirrorStage[];
}

/**
 * Deal pipelines and stages from the mirror (schema `hubspot`, owner: mapper). Archived pipelines and
 * stages are left out: HubSpot no longer offers them for new deals.
 */
@Injectable()
export class PipelinesReader {
  constructor(private readonly dataSource: DataSource) {}

  async dealPipelines(organizationUid: string): Promise<MirrorPipeline[]> {
    const rows: { pipeline_id: string; pipeline_label: string; pipeline_order: number; stage_id: string | null; stage_label: string | null; stage_order: number | null }[] =
      await this.dataSource.query(
        `SELECT p.pipeline_id, p.label AS pipeline_label, p.display_order AS pipeline_order,
                s.stage_id, s.label AS stage_label, s.display_order AS stage_order
           FROM hubspot.pipelines p
           LEFT JOIN hubspot.pipeline_stages s
             ON s.organization_uid = p.organization_uid AND s.object_type = p.object_type AND s.pipeline_id = p.pipeline_id AND NOT s.archived
          WHERE p.organization_uid = $1 AND p.object_type = 'deals' AND NOT p.archived
          ORDER BY p.display_order, p.pipeline_id, s.display_order, s.stage_id`,
        [organizationUid],
      );
    const pipelines = new Map<string, MirrorPipeline>();
    for (const row of rows) {
      let pipeline = pipelines.get(row.pipeline_id);
      if (!pipeline) {
        pipeline = { id: row.pipeline_id, label: row.pipeline_label, display_order: Number(row.pipeline_order), stages: [] };
        pipelines.set(row.pipeline_id, pipeline);
      }
      if (row.stage_id !== null) pipeline.stages.push({ id: row.stage_id, label: row.stage_label ?? row.stage_id, display_order: Number(row.stage_order) });
    }
    return [...pipelines.values()];
  }
}
