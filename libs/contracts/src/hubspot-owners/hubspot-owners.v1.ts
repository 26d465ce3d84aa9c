export const HUBSPOT_OWNERS_V1 = 'hubspot.owners.v1';

export interface HubspotOwnerV1 {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  userId: number | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface HubspotOwnersV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  owners: HubspotOwnerV1[];
  fetchedAt: string;
}
