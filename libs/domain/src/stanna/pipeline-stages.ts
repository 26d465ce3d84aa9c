/** Pipelines and stages as the mapper reads them from the mirror (`hubspot.pipelines`, `pipeline_stages`). */
export interface StageInfo {
  id: string;
  label: string;
  displayOrder: number;
  /** Deal stage metadata `probability` (0.0–1.0; HUBSPOT-FACTS.md "Pipelines"). */
  probability: number | null;
  isClosed: boolean | null;
}

export interface PipelineInfo {
  id: string;
  label: string;
  stages: ReadonlyMap<string, StageInfo>;
}

export type PipelineDirectory = ReadonlyMap<string, PipelineInfo>;

export function findStage(pipelines: PipelineDirectory, pipelineId: string | null, stageId: string | null): StageInfo | null {
  if (!stageId) return null;
  if (pipelineId) {
    const s = pipelines.get(pipelineId)?.stages.get(stageId);
    if (s) return s;
  }
  for (const p of pipelines.values()) {
    const s = p.stages.get(stageId);
    if (s) return s;
  }
  return null;
}
