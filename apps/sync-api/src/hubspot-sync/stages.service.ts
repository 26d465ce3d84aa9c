import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionRow } from '../connections/connections.reader';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { JobQueue } from '../work/job-queue.service';
import { PortalWorkNotifier } from '../work/portal-work.notifier';
import { MirrorPipeline, PipelinesReader } from './pipelines.reader';

const POLL_MS = 250;

/**
 * Deal pipelines for `GET …/sync/stages` and stage validation. When the mirror has none yet (right
 * after connecting), it asks the fetcher for a `pipelines` job and waits briefly for the mapper to
 * store them.
 */
@Injectable()
export class StagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: PipelinesReader,
    private readonly jobs: JobQueue,
    private readonly notifier: PortalWorkNotifier,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  async dealPipelines(organizationUid: string, connection: ConnectionRow): Promise<MirrorPipeline[]> {
    const present = await this.reader.dealPipelines(organizationUid);
    if (present.length > 0) return present;
    await this.requestPipelinesJob(organizationUid, connection);
    const deadline = Date.now() + this.settings.stagesWaitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
      const pipelines = await this.reader.dealPipelines(organizationUid);
      if (pipelines.length > 0) return pipelines;
    }
    return [];
  }

  /** One queued pipelines job per connection at a time, however many callers ask. */
  private async requestPipelinesJob(organizationUid: string, connection: ConnectionRow): Promise<void> {
    const job = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('pipelines-job:' || $1::text, 0))`, [connection.id]);
      const pending = await manager.query(
        `SELECT 1 FROM sync.jobs WHERE connection_id = $1 AND kind = 'pipelines' AND status IN ('queued','running') LIMIT 1`,
        [connection.id],
      );
      if (pending.length > 0) return null;
      return this.jobs.insertJob(manager, { organizationUid, connection, kind: 'pipelines', objectTypes: ['deals'], source: 'api' });
    });
    if (job) await this.notifier.notify([job]);
  }
}
