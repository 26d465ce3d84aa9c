import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionsReader } from '../connections/connections.reader';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { JobQueue } from '../work/job-queue.service';
import { PortalWorkNotifier, QueuedJobRef } from '../work/portal-work.notifier';
import { SyncEventsService } from '../work/sync-events.service';
import { HubspotWebhookEvent, idsToFetch, objectTypeOf } from './webhook-events';

export interface WebhookIntakeResult {
  received: number;
  duplicates: number;
  queued_jobs: number;
  unknown_portals: string[];
}

/**
 * Verified webhook events → `fetch_by_ids` jobs, per connection of the portal. Event ids are
 * de-duplicated in PostgreSQL per organization (HubSpot retries for hours, far beyond the JetStream
 * duplicate window), in the same transaction as the job, so a retried delivery queues nothing.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhooksService.name);
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ConnectionsReader,
    private readonly jobs: JobQueue,
    private readonly notifier: PortalWorkNotifier,
    private readonly events: SyncEventsService,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  /** Hourly, on every replica (the DELETE is idempotent): forget event ids past the retention. */
  onApplicationBootstrap(): void {
    if (!this.settings.schedulerEnabled) return;
    this.purgeTimer = setInterval(() => {
      this.purgeOlderThan(this.settings.webhookEventRetentionHours).catch((error) => this.logger.warn(`Webhook event purge failed: ${(error as Error).message}`));
    }, 3_600_000);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  async intake(events: HubspotWebhookEvent[]): Promise<WebhookIntakeResult> {
    const byPortal = new Map<string, HubspotWebhookEvent[]>();
    for (const event of events) byPortal.set(String(event.portalId), [...(byPortal.get(String(event.portalId)) ?? []), event]);
    const result: WebhookIntakeResult = { received: events.length, duplicates: 0, queued_jobs: 0, unknown_portals: [] };
    const notices: QueuedJobRef[] = [];
    for (const [portalId, portalEvents] of byPortal) {
      const connections = await this.connections.forPortal(portalId);
      if (connections.length === 0) {
        result.unknown_portals.push(portalId);
        continue;
      }
      for (const connection of connections) {
        const outcome = await this.dataSource.transaction(async (manager) => {
          const fresh: { event_id: string }[] = await manager.query(
            `INSERT INTO sync.webhook_events (organization_uid, portal_id, event_id, subscription_type, object_type, object_id, occurred_at)
             SELECT $1, $2, e.event_id, e.subscription_type, e.object_type, e.object_id, to_timestamp(e.occurred_at / 1000.0)
               FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::float8[]) AS e(event_id, subscription_type, object_type, object_id, occurred_at)
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [
              connection.organization_uid,
              portalId,
              portalEvents.map((e) => String(e.eventId)),
              portalEvents.map((e) => e.subscriptionType),
              portalEvents.map((e) => objectTypeOf(e)),
              portalEvents.map((e) => (e.objectId === undefined ? null : String(e.objectId))),
              portalEvents.map((e) => (typeof e.occurredAt === 'number' ? e.occurredAt : null)),
            ],
          );
          const freshIds = new Set(fresh.map((r) => r.event_id));
          const ids: Record<string, Set<string>> = {};
          for (const event of portalEvents) {
            if (!freshIds.has(String(event.eventId))) continue;
            for (const [type, list] of Object.entries(idsToFetch(event))) for (const id of list) (ids[type] ??= new Set()).add(id);
          }
          const objectTypes = Object.keys(ids).sort();
          if (objectTypes.length === 0) return { duplicates: portalEvents.length - freshIds.size, job: null };
          const job = await this.jobs.insertJob(manager, {
            organizationUid: connection.organization_uid,
            connection,
            kind: 'fetch_by_ids',
            objectTypes,
            filters: { ids: Object.fromEntries(objectTypes.map((t) => [t, [...ids[t]]])) },
            source: 'webhook',
          });
          await manager.query(`UPDATE sync.webhook_events SET job_id = $1 WHERE organization_uid = $2 AND portal_id = $3 AND event_id = ANY($4::text[])`, [
            job.id,
            connection.organization_uid,
            portalId,
            [...freshIds],
          ]);
          await this.events.record(
            {
              organizationUid: connection.organization_uid,
              jobId: job.id,
              type: 'webhook.queued',
              message: `Webhook: ${freshIds.size} event(s) from portal ${portalId} queued for re-read (${objectTypes.map((t) => `${ids[t].size} ${t}`).join(', ')})`,
              data: { portal_id: portalId, event_ids: [...freshIds].slice(0, 100) },
            },
            manager,
          );
          return { duplicates: portalEvents.length - freshIds.size, job };
        });
        result.duplicates += outcome.duplicates;
        if (outcome.job) {
          result.queued_jobs += 1;
          notices.push(outcome.job);
        }
      }
    }
    if (result.unknown_portals.length > 0) this.logger.warn(`Webhook events for portals without a connection: ${result.unknown_portals.join(', ')}`);
    await this.notifier.notify(notices);
    return result;
  }

  /** Event ids older than the retention are no longer needed for de-duplication. */
  async purgeOlderThan(hours: number): Promise<number> {
    const rows = await this.dataSource.query(
      `WITH gone AS (DELETE FROM sync.webhook_events WHERE received_at < now() - make_interval(hours => $1) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [hours],
    );
    return rows[0].n;
  }
}
