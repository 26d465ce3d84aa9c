import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionRow } from '../connections/connections.reader';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { JobQueue } from '../work/job-queue.service';
import { PortalWorkNotifier, QueuedJobRef } from '../work/portal-work.notifier';
import { SyncEventsService } from '../work/sync-events.service';
import { nextFireAfter } from './cron';

interface DueSchedule {
  id: string;
  organization_uid: string;
  elt_sync_id: string;
  cron: string;
  time_zone: string;
  next_fire_at: Date;
}

export interface FireOutcome {
  scheduleId: string;
  scheduledFor: Date;
  outcome: 'queued' | 'skipped_running' | 'failed';
  reason: string | null;
  jobIds: string[];
}

const BATCH = 50;

/**
 * Fires ELT sync schedules. Every replica ticks; each due schedule row is claimed with
 * `FOR UPDATE SKIP LOCKED` and moved to its next slot in the same transaction, and the fire record is
 * unique per (schedule, slot) — so a slot fires once however many replicas run. A fire while the
 * sync still has work queued or running is skipped and recorded. Missed slots (downtime) fire once,
 * then the schedule continues from now: no catch-up storm.
 *
 * A fire queues an association sweep and a delete sweep of the sync's streams: record changes
 * already flow continuously through the fetcher's incremental sweeps (DESIGN §4).
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;
  private readonly firedBy = `${hostname()}:${process.pid}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly notifier: PortalWorkNotifier,
    private readonly events: SyncEventsService,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.schedulerEnabled) return;
    this.timer = setInterval(() => {
      if (this.ticking) return; // a slow tick is never overlapped by the next one
      this.ticking = this.tick()
        .catch((error) => this.logger.error(`Schedule tick failed: ${(error as Error).message}`))
        .finally(() => (this.ticking = undefined));
    }, this.settings.schedulerTickMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** One pass over due schedules; returns what fired (tests call it directly). */
  async tick(now = new Date()): Promise<FireOutcome[]> {
    const notices: QueuedJobRef[] = [];
    const outcomes = await this.dataSource.transaction(async (manager) => {
      const due: DueSchedule[] = await manager.query(
        `SELECT id, organization_uid, elt_sync_id, cron, time_zone, next_fire_at FROM sync.schedules
          WHERE enabled AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const fired: FireOutcome[] = [];
      for (const schedule of due) {
        const outcome = await this.fire(manager, schedule, now, notices);
        if (outcome) fired.push(outcome);
      }
      return fired;
    });
    await this.notifier.notify(notices);
    return outcomes;
  }

  private async fire(manager: EntityManager, schedule: DueSchedule, now: Date, notices: QueuedJobRef[]): Promise<FireOutcome | null> {
    const scheduledFor = new Date(schedule.next_fire_at);
    let next: Date;
    try {
      next = nextFireAfter(schedule.cron, schedule.time_zone, now);
    } catch (error) {
      // Validated on save, so only a hand-edited row gets here: park it instead of failing every tick.
      await manager.query(`UPDATE sync.schedules SET enabled = false, updated_at = now() WHERE id = $1`, [schedule.id]);
      return this.record(manager, schedule, scheduledFor, 'failed', `invalid schedule: ${(error as Error).message}`, []);
    }
    await manager.query(`UPDATE sync.schedules SET next_fire_at = $2, last_fired_at = $3, updated_at = now() WHERE id = $1 AND next_fire_at = $4`, [
      schedule.id,
      next,
      now,
      scheduledFor,
    ]);

    const running = await manager.query(`SELECT 1 FROM sync.jobs WHERE elt_sync_id = $1 AND status IN ('queued','running') LIMIT 1`, [schedule.elt_sync_id]);
    if (running.length > 0) return this.record(manager, schedule, scheduledFor, 'skipped_running', 'the previous run of this sync is still queued or running', []);

    const sync: { connection_id: string; status: string }[] = await manager.query(`SELECT connection_id, status FROM sync.elt_syncs WHERE id = $1`, [schedule.elt_sync_id]);
    const connections: ConnectionRow[] = sync.length
      ? await manager.query(`SELECT id, portal_id, status FROM integration.connections WHERE id = $1 AND organization_uid = $2`, [sync[0].connection_id, schedule.organization_uid])
      : [];
    const connection = connections[0];
    if (!connection || connection.status !== 'active') {
      return this.record(manager, schedule, scheduledFor, 'failed', `connection ${sync[0]?.connection_id ?? '?'} is ${connection?.status ?? 'missing'}`, []);
    }
    const streams: { name: string }[] = await manager.query(`SELECT name FROM sync.elt_streams WHERE elt_sync_id = $1 AND status = 'active' ORDER BY name`, [schedule.elt_sync_id]);
    if (streams.length === 0) return this.record(manager, schedule, scheduledFor, 'failed', 'no source streams selected', []);

    // Claim the slot first: if another transaction somehow recorded it, queue nothing.
    const claimed = await this.record(manager, schedule, scheduledFor, 'queued', null, []);
    if (!claimed) return null;
    const objectTypes = streams.map((s) => s.name);
    const refs = [
      await this.jobs.insertJob(manager, { organizationUid: schedule.organization_uid, connection, kind: 'association_sweep', objectTypes, source: 'schedule', eltSyncId: schedule.elt_sync_id }),
      await this.jobs.insertJob(manager, { organizationUid: schedule.organization_uid, connection, kind: 'delete_sweep', objectTypes, source: 'schedule', eltSyncId: schedule.elt_sync_id }),
    ];
    await manager.query(`UPDATE sync.schedule_fires SET job_ids = $3 WHERE schedule_id = $1 AND scheduled_for = $2`, [schedule.id, scheduledFor, refs.map((r) => r.id)]);
    notices.push(...refs);
    return { ...claimed, jobIds: refs.map((r) => r.id) };
  }

  private async record(
    manager: EntityManager,
    schedule: DueSchedule,
    scheduledFor: Date,
    outcome: FireOutcome['outcome'],
    reason: string | null,
    jobIds: string[],
  ): Promise<FireOutcome | null> {
    const inserted = await manager.query(
      `INSERT INTO sync.schedule_fires (schedule_id, organization_uid, elt_sync_id, scheduled_for, outcome, reason, job_ids, fired_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (schedule_id, scheduled_for) DO NOTHING RETURNING id`,
      [schedule.id, schedule.organization_uid, schedule.elt_sync_id, scheduledFor, outcome, reason, jobIds, this.firedBy],
    );
    if (inserted.length === 0) return null;
    await this.events.record(
      {
        organizationUid: schedule.organization_uid,
        level: outcome === 'failed' ? 'warn' : 'info',
        type: `schedule.${outcome}`,
        message: `Scheduled run of ELT sync ${schedule.elt_sync_id} for ${scheduledFor.toISOString()}: ${outcome}${reason ? ` (${reason})` : ''}`,
        data: { elt_sync_id: schedule.elt_sync_id, schedule_id: schedule.id, scheduled_for: scheduledFor.toISOString() },
      },
      manager,
    );
    return { scheduleId: schedule.id, scheduledFor, outcome, reason, jobIds };
  }
}
