/**
 * "Portal P has work": a notice only. The work itself lives in `sync.jobs` (DESIGN §5).
 * Published with msg id = job id; a notice for a portal driven elsewhere is acked, not nak'ed.
 */
export const SYNC_PORTAL_WORK_V1 = 'sync.portal-work.v1';

export interface SyncPortalWorkV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  jobId: string;
}

export function portalWorkSubject(portalId: string): string {
  return `${SYNC_PORTAL_WORK_V1}.${portalId}`;
}
