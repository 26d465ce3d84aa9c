/** Changed associations from a sweep, and the end-of-sweep marker that lets the mapper delete the rest. */
export const HUBSPOT_ASSOCIATIONS_V1 = 'hubspot.associations.v1';

export interface HubspotAssociationV1 {
  fromId: string;
  toId: string;
  typeId: number;
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
  label: string | null;
}

export interface HubspotAssociationBatchV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  fromType: string;
  toType: string;
  runId: string | null;
  sweepId: string;
  sequence: number;
  batchId: string;
  /** Every association currently present for `fromIds` (the mapper replaces those from-ids' sets). */
  fromIds: string[];
  associations: HubspotAssociationV1[];
  /**
   * True on the final message of a sweep. The fetcher's sweeps do mark-and-sweep themselves
   * (fingerprints in `sync.association_fingerprints`): they hand on only sets that changed, and an
   * empty set for every from-object whose associations vanished (or that is gone), so a consumer
   * replaces the sets of `fromIds` and must not delete rows merely because this sweep did not repeat them.
   */
  sweepComplete: boolean;
}
