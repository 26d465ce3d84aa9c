import { Injectable, Logger, Optional } from '@nestjs/common';
import { portalWorkSubject, SyncPortalWorkV1 } from '@hubsync/contracts';
import { JetStreamPublisher } from '@hubsync/messaging';

export interface QueuedJobRef {
  id: string;
  organization_uid: string;
  connection_id: string;
  portal_id: string;
}

/**
 * "Portal P has work" (DESIGN §5): published after the job row is committed, with msg id = job id.
 * The row is the source of truth: when the publish fails, the fetchers' adoption sweep still finds
 * the queued job, so a failure here is logged, never surfaced to the caller.
 */
@Injectable()
export class PortalWorkNotifier {
  private readonly logger = new Logger(PortalWorkNotifier.name);

  constructor(@Optional() private readonly publisher?: JetStreamPublisher) {}

  async notify(jobs: QueuedJobRef[]): Promise<void> {
    if (!this.publisher) {
      if (jobs.length > 0) this.logger.warn(`No JetStream publisher: ${jobs.length} job(s) wait for the fetchers' adoption sweep`);
      return;
    }
    await Promise.all(
      jobs.map(async (job) => {
        const payload: SyncPortalWorkV1 = {
          organizationUid: job.organization_uid,
          connectionId: job.connection_id,
          portalId: job.portal_id,
          jobId: job.id,
        };
        try {
          await this.publisher?.publish(portalWorkSubject(job.portal_id), payload, { msgId: job.id });
        } catch (error) {
          this.logger.warn(`Notice for job ${job.id} (portal ${job.portal_id}) not published: ${(error as Error).message}`);
        }
      }),
    );
  }
}
