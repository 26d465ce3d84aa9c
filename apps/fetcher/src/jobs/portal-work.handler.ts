import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SYNC_PORTAL_WORK_V1, SyncPortalWorkV1 } from '@hubsync/contracts';
import { PermanentMessageError } from '@hubsync/messaging';
import { DriverRegistry } from '../drivers/driver-registry.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `sync.portal-work.v1.<portal>`: a notice only, the job is in `sync.jobs`. Validated, then the
 * registry wakes or adopts the portal. A portal driven elsewhere (or a full fetcher) acks the
 * notice: waiting behind another job never dead-letters anything.
 */
@Controller()
export class PortalWorkHandler {
  constructor(private readonly registry: DriverRegistry) {}

  @EventPattern(SYNC_PORTAL_WORK_V1)
  async onPortalWork(@Payload() payload: unknown): Promise<void> {
    await this.registry.onNotice(parseNotice(payload).portalId);
  }
}

export function parseNotice(payload: unknown): SyncPortalWorkV1 {
  const p = payload as Partial<SyncPortalWorkV1> | null;
  if (!p || typeof p !== 'object') throw new PermanentMessageError('sync.portal-work.v1: payload must be an object');
  for (const field of ['organizationUid', 'connectionId', 'jobId'] as const) {
    if (typeof p[field] !== 'string' || !UUID.test(p[field] as string)) throw new PermanentMessageError(`sync.portal-work.v1: ${field} must be a uuid`);
  }
  if (typeof p.portalId !== 'string' || !/^\d{1,20}$/.test(p.portalId)) throw new PermanentMessageError('sync.portal-work.v1: portalId must be a numeric string');
  return p as SyncPortalWorkV1;
}
