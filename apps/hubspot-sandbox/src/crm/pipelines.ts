/**
 * Pipelines in the shape of `GET /crm/v3/pipelines/{objectType}`
 * (SDK lib/codegen/crm/pipelines/models/Pipeline.d.ts, PipelineStage.d.ts: `metadata` is a
 * string→string map). Deal stages carry `probability` 0.0–1.0 and `isClosed`; ticket stages carry
 * `ticketState` OPEN|CLOSED (HubSpot pipelines guide, "Pipeline stage metadata"). The default
 * deal pipeline's stage ids are HubSpot's (appointmentscheduled … closedlost).
 */
export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  stages: PipelineStage[];
}

const T0 = Date.parse('2020-01-15T09:00:00.000Z');

function dealStage(id: string, label: string, order: number, probability: number): PipelineStage {
  return {
    id, label, displayOrder: order, archived: false, createdAt: T0, updatedAt: T0,
    metadata: { isClosed: String(probability === 1 || probability === 0), probability: probability.toFixed(1) },
  };
}

function ticketStage(id: string, label: string, order: number, state: 'OPEN' | 'CLOSED'): PipelineStage {
  return { id, label, displayOrder: order, archived: false, createdAt: T0, updatedAt: T0, metadata: { ticketState: state, isClosed: String(state === 'CLOSED') } };
}

export function defaultPipelines(): Record<string, Pipeline[]> {
  return {
    '0-3': [
      {
        id: 'default', label: 'Sales Pipeline', displayOrder: 0, archived: false, createdAt: T0, updatedAt: T0,
        stages: [
          dealStage('appointmentscheduled', 'Appointment Scheduled', 0, 0.2),
          dealStage('qualifiedtobuy', 'Qualified To Buy', 1, 0.4),
          dealStage('presentationscheduled', 'Presentation Scheduled', 2, 0.6),
          dealStage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, 0.8),
          dealStage('contractsent', 'Contract Sent', 4, 0.9),
          dealStage('closedwon', 'Closed Won', 5, 1),
          dealStage('closedlost', 'Closed Lost', 6, 0),
        ],
      },
    ],
    '0-5': [
      {
        id: '0', label: 'Support Pipeline', displayOrder: 0, archived: false, createdAt: T0, updatedAt: T0,
        stages: [
          ticketStage('1', 'New', 0, 'OPEN'),
          ticketStage('2', 'Waiting on contact', 1, 'OPEN'),
          ticketStage('3', 'Waiting on us', 2, 'OPEN'),
          ticketStage('4', 'Closed', 3, 'CLOSED'),
        ],
      },
    ],
  };
}

/** Adds a deal pipeline with numeric stage ids (as HubSpot assigns to user-created pipelines). */
export function makeDealPipeline(id: string, label: string, order: number, stageLabels: string[]): Pipeline {
  const stages = stageLabels.map((l, i) => {
    const last = i === stageLabels.length - 1;
    const beforeLast = i === stageLabels.length - 2;
    const probability = last ? 0 : beforeLast ? 1 : Math.round(((i + 1) / (stageLabels.length - 1)) * 10) / 10;
    return dealStage(`${id}${String(i + 1).padStart(2, '0')}`, l, i, Math.min(probability, beforeLast ? 1 : 0.9));
  });
  return { id, label, displayOrder: order, archived: false, createdAt: T0, updatedAt: T0, stages };
}

export function pipelineToJson(p: Pipeline): Record<string, unknown> {
  return {
    label: p.label,
    displayOrder: p.displayOrder,
    id: p.id,
    stages: p.stages.map(stageToJson),
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    archived: p.archived,
  };
}

export function stageToJson(s: PipelineStage): Record<string, unknown> {
  return {
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: s.metadata,
    id: s.id,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    archived: s.archived,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}
