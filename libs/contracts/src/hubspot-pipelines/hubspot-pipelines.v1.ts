export const HUBSPOT_PIPELINES_V1 = 'hubspot.pipelines.v1';

export interface HubspotPipelineStageV1 {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  /** Deal stages: `{ probability: "0.2" }`; ticket stages: `{ ticketState: "OPEN" }`. */
  metadata: Record<string, string>;
}

export interface HubspotPipelinesV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  objectType: 'deals' | 'tickets';
  pipelines: { id: string; label: string; displayOrder: number; archived: boolean; stages: HubspotPipelineStageV1[] }[];
  fetchedAt: string;
}
