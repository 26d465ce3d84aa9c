import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { STANDARD_OBJECT_TYPES } from '@hubsync/contracts';
import { defaultDestinationSchema, destinationSchemaNameProblem } from '@hubsync/domain';
import { ConnectionRow, ConnectionsReader } from '../connections/connections.reader';
import { invalidField, invalidInput } from '../http/request-errors';
import { FreshReadCoalescer } from '../runs/fresh-read-coalescer';
import { CronError, DEFAULT_SYNC_INTERVAL, DEFAULT_TIME_ZONE, nextFireAfter, validateCron } from '../schedules/cron';
import { JobQueue } from '../work/job-queue.service';
import { PortalWorkNotifier, QueuedJobRef } from '../work/portal-work.notifier';
import { SyncEventsService } from '../work/sync-events.service';
import { AddSourceStreamsDto, CreateEltSyncDto, UpdateEltSyncDto } from './elt.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface EltSyncRow {
  id: string;
  organization_uid: string;
  connection_id: string;
  destination_schema_name: string;
  sync_interval: string;
  time_zone: string;
  status: 'active' | 'paused';
  created_at: Date;
  updated_at: Date;
  next_fire_at: Date | null;
}

interface EltStreamRow {
  id: string;
  organization_uid: string;
  elt_sync_id: string;
  name: string;
  status: string;
  last_run_requested_at: Date | null;
  last_full_refresh_requested_at: Date | null;
  created_at: Date;
}

export interface AvailableStream {
  name: string;
  label: string;
  custom: boolean;
  selected: boolean;
}

/**
 * Weld-style management API (seed 003). Every lookup by id is confined to the caller's
 * organizations, so another tenant's ids answer 404.
 */
@Injectable()
export class EltSyncsService {
  private readonly statusReads = new FreshReadCoalescer<Record<string, unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ConnectionsReader,
    private readonly jobs: JobQueue,
    private readonly notifier: PortalWorkNotifier,
    private readonly events: SyncEventsService,
  ) {}

  async list(organizationUid: string) {
    const rows: EltSyncRow[] = await this.dataSource.query(`${SYNC_SELECT} WHERE e.organization_uid = $1 ORDER BY e.created_at`, [organizationUid]);
    const streams = await this.streamsOf(rows.map((r) => r.id));
    return { data: rows.map((r) => present(r, streams)) };
  }

  async get(id: string, organizations: string[]) {
    const row = await this.find(id, organizations);
    return present(row, await this.streamsOf([row.id]));
  }

  async create(organizationUid: string, userUid: string, dto: CreateEltSyncDto) {
    const connection = await this.connections.findInOrganizations(dto.connection_id, [organizationUid]);
    if (!connection) throw new NotFoundException(`Connection ${dto.connection_id} not found in this organization`);
    const schemaName = dto.destination_schema_name ?? defaultDestinationSchema(organizationUid);
    const syncInterval = dto.sync_interval ?? DEFAULT_SYNC_INTERVAL;
    const timeZone = dto.time_zone ?? DEFAULT_TIME_ZONE;
    this.checkSchedule(syncInterval, timeZone);
    const problem = destinationSchemaNameProblem(schemaName);
    if (problem) throw invalidField('destination_schema_name', problem);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.lockSchemaNames(manager);
      // One destination schema per organization (DESIGN §5): the mirror and its typed views are per org.
      const existing: { id: string }[] = await manager.query(`SELECT id FROM sync.elt_syncs WHERE organization_uid = $1`, [organizationUid]);
      if (existing.length > 0) {
        throw new ConflictException({
          message: `The organization already has ELT sync ${existing[0].id} (one destination schema per organization); update or delete it instead`,
          details: { reason: 'elt_sync_exists', elt_sync_id: existing[0].id },
        });
      }
      await this.checkSchemaAvailable(manager, schemaName, organizationUid, null);
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO sync.elt_syncs (organization_uid, connection_id, destination_schema_name, sync_interval, time_zone, created_by_user_uid)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [organizationUid, connection.id, schemaName, syncInterval, timeZone, userUid],
      );
      await manager.query(
        `INSERT INTO sync.schedules (organization_uid, elt_sync_id, cron, time_zone, enabled, next_fire_at) VALUES ($1, $2, $3, $4, true, $5)`,
        [organizationUid, rows[0].id, syncInterval, timeZone, nextFireAfter(syncInterval, timeZone, new Date())],
      );
      await this.requestViews(manager, organizationUid, `ELT sync created with destination schema ${schemaName}`);
      await this.events.record(
        { organizationUid, type: 'elt_sync.created', message: `ELT sync into schema ${schemaName} created`, data: { elt_sync_id: rows[0].id, connection_id: connection.id, sync_interval: syncInterval, time_zone: timeZone } },
        manager,
      );
      return rows[0].id;
    });
    return this.get(id, [organizationUid]);
  }

  async update(id: string, organizations: string[], dto: UpdateEltSyncDto) {
    const current = await this.find(id, organizations);
    const syncInterval = dto.sync_interval ?? current.sync_interval;
    const timeZone = dto.time_zone ?? current.time_zone;
    this.checkSchedule(syncInterval, timeZone);
    const schemaName = dto.destination_schema_name ?? current.destination_schema_name;
    if (dto.destination_schema_name !== undefined) {
      const problem = destinationSchemaNameProblem(schemaName);
      if (problem) throw invalidField('destination_schema_name', problem);
    }
    await this.dataSource.transaction(async (manager) => {
      if (schemaName !== current.destination_schema_name) {
        await this.lockSchemaNames(manager);
        await this.checkSchemaAvailable(manager, schemaName, current.organization_uid, current.id);
      }
      await manager.query(
        `UPDATE sync.elt_syncs SET destination_schema_name = $2, sync_interval = $3, time_zone = $4, updated_at = now() WHERE id = $1`,
        [id, schemaName, syncInterval, timeZone],
      );
      if (schemaName !== current.destination_schema_name) {
        await this.requestViews(manager, current.organization_uid, `destination schema changed from ${current.destination_schema_name} to ${schemaName}`);
      }
      if (syncInterval !== current.sync_interval || timeZone !== current.time_zone) {
        await manager.query(`UPDATE sync.schedules SET cron = $2, time_zone = $3, next_fire_at = $4, updated_at = now() WHERE elt_sync_id = $1`, [
          id,
          syncInterval,
          timeZone,
          nextFireAfter(syncInterval, timeZone, new Date()),
        ]);
      }
      await this.events.record(
        { organizationUid: current.organization_uid, type: 'elt_sync.updated', message: `ELT sync ${id} updated`, data: { elt_sync_id: id, ...dto } },
        manager,
      );
    });
    return this.get(id, organizations);
  }

  async remove(id: string, organizations: string[]): Promise<void> {
    const current = await this.find(id, organizations);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM sync.elt_syncs WHERE id = $1`, [id]);
      await this.requestViews(manager, current.organization_uid, `ELT sync deleted; destination schema ${current.destination_schema_name} no longer requested`);
      await this.events.record({ organizationUid: current.organization_uid, type: 'elt_sync.deleted', message: `ELT sync ${id} deleted`, data: { elt_sync_id: id } }, manager);
    });
  }

  async setEnabled(id: string, organizations: string[], enabled: boolean) {
    const current = await this.find(id, organizations);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE sync.elt_syncs SET status = $2, updated_at = now() WHERE id = $1`, [id, enabled ? 'active' : 'paused']);
      await manager.query(`UPDATE sync.schedules SET enabled = $2, next_fire_at = $3, updated_at = now() WHERE elt_sync_id = $1`, [
        id,
        enabled,
        enabled ? nextFireAfter(current.sync_interval, current.time_zone, new Date()) : null,
      ]);
      await this.events.record(
        { organizationUid: current.organization_uid, type: enabled ? 'elt_sync.enabled' : 'elt_sync.disabled', message: `ELT sync ${id} ${enabled ? 'enabled' : 'disabled'}`, data: { elt_sync_id: id } },
        manager,
      );
    });
    return this.get(id, organizations);
  }

  /** Concurrent polls of one sync's status (by callers with the same organizations) share a fresh read. */
  status(id: string, organizations: string[]): Promise<Record<string, unknown>> {
    return this.statusReads.read(`${id}|${[...organizations].sort().join(',')}`, () => this.readStatus(id, organizations));
  }

  private async readStatus(id: string, organizations: string[]) {
    const sync = await this.find(id, organizations);
    const streams = await this.streamsOf([id]);
    const connection = await this.connections.findInOrganizations(sync.connection_id, [sync.organization_uid]);
    const activeJobs: { id: string; kind: string; status: string; object_types: string[]; created_at: Date }[] = await this.dataSource.query(
      `SELECT id, kind, status, object_types, created_at FROM sync.jobs WHERE elt_sync_id = $1 AND status IN ('queued','running') ORDER BY created_at`,
      [id],
    );
    const fires = await this.dataSource.query(
      `SELECT scheduled_for, fired_at, outcome, reason, job_ids FROM sync.schedule_fires WHERE elt_sync_id = $1 ORDER BY scheduled_for DESC LIMIT 5`,
      [id],
    );
    const lastObjectRuns: { object_type: string; run_id: string; status: string; total_synced: number; total_skipped: number; completed_at: Date | null; created_at: Date }[] =
      await this.dataSource.query(
        // One index probe per stream (object_runs_org_type_created) instead of sorting every object
        // run the connection ever had: the newest object run of the connection's runs is among the
        // first rows in created_at order.
        `SELECT t.object_type, o.run_id, o.status, o.total_synced, o.total_skipped, o.completed_at, o.created_at
           FROM unnest($3::text[]) AS t(object_type)
           CROSS JOIN LATERAL (
             SELECT o.run_id, o.status, o.total_synced, o.total_skipped, o.completed_at, o.created_at
               FROM sync.object_runs o JOIN sync.runs r ON r.id = o.run_id
              WHERE o.organization_uid = $1 AND o.object_type = t.object_type AND r.organization_uid = $1 AND r.connection_id = $2
              ORDER BY o.created_at DESC LIMIT 1
           ) o`,
        [sync.organization_uid, sync.connection_id, streams.get(id)?.map((s) => s.name) ?? []],
      );
    const byType = new Map(lastObjectRuns.map((o) => [o.object_type, o]));
    return {
      id,
      status: sync.status,
      running: activeJobs.length > 0,
      next_run_at: iso(sync.next_fire_at),
      connection: connection ? { id: connection.id, status: connection.status, portal_id: connection.portal_id, missing_scopes: connection.missing_scopes, last_error: connection.last_error } : null,
      active_jobs: activeJobs.map((j) => ({ id: j.id, kind: j.kind, status: j.status, object_types: j.object_types, created_at: iso(j.created_at) })),
      recent_fires: fires.map((f: { scheduled_for: Date; fired_at: Date; outcome: string; reason: string | null; job_ids: string[] }) => ({
        scheduled_for: iso(f.scheduled_for),
        fired_at: iso(f.fired_at),
        outcome: f.outcome,
        reason: f.reason,
        job_ids: f.job_ids,
      })),
      source_streams: (streams.get(id) ?? []).map((s) => {
        const last = byType.get(s.name);
        return {
          id: s.id,
          name: s.name,
          status: s.status,
          last_run_requested_at: iso(s.last_run_requested_at),
          last_full_refresh_requested_at: iso(s.last_full_refresh_requested_at),
          last_run: last ? { run_id: last.run_id, status: last.status, total_synced: last.total_synced, total_skipped: last.total_skipped, completed_at: iso(last.completed_at) } : null,
        };
      }),
    };
  }

  async availableStreams(id: string, organizations: string[]): Promise<{ data: AvailableStream[] }> {
    const sync = await this.find(id, organizations);
    const connection = await this.connections.findInOrganizations(sync.connection_id, [sync.organization_uid]);
    const selected = new Set((await this.streamsOf([id])).get(id)?.map((s) => s.name) ?? []);
    return { data: (await this.catalog(sync.organization_uid, connection)).map((s) => ({ ...s, selected: selected.has(s.name) })) };
  }

  async addStreams(id: string, organizations: string[], dto: AddSourceStreamsDto) {
    const sync = await this.find(id, organizations);
    const connection = await this.connections.findInOrganizations(sync.connection_id, [sync.organization_uid]);
    const available = await this.catalog(sync.organization_uid, connection);
    const names = new Set(available.map((s) => s.name));
    const unknown = dto.source_streams.map((s, i) => ({ name: s.name, i })).filter(({ name }) => !names.has(name));
    if (unknown.length > 0) {
      const allowed = [...names];
      throw invalidInput(
        unknown.map(({ name, i }) => ({ field: `source_streams.${i}.name`, message: `source_streams.${i}.name "${name}" is not an available stream of this connection`, allowed })),
      );
    }
    const requested = [...new Set(dto.source_streams.map((s) => s.name))];
    const queued: QueuedJobRef[] = [];
    let initialLoadRunId: string | null = null;
    await this.dataSource.transaction(async (manager) => {
      const inserted: { name: string }[] = await manager.query(
        `INSERT INTO sync.elt_streams (organization_uid, elt_sync_id, name)
         SELECT $1, $2, unnest($3::text[]) ON CONFLICT (elt_sync_id, name) DO NOTHING RETURNING name`,
        [sync.organization_uid, id, requested],
      );
      const added = inserted.map((r) => r.name);
      // New streams of an active sync get their initial load now, one full refresh per stream.
      if (added.length > 0 && sync.status === 'active' && connection && connection.status === 'active') {
        initialLoadRunId = await this.jobs.createRun(manager, { organizationUid: sync.organization_uid, connection, kind: 'full_refresh', objectTypes: added });
        for (const name of added) {
          queued.push(
            await this.jobs.insertJob(manager, { organizationUid: sync.organization_uid, connection, kind: 'full_refresh', objectTypes: [name], source: 'api', runId: initialLoadRunId, eltSyncId: id }),
          );
        }
      }
      await this.events.record(
        { organizationUid: sync.organization_uid, runId: initialLoadRunId, type: 'elt_sync.streams_added', message: `Streams added to ELT sync ${id}: ${added.join(', ') || 'none new'}`, data: { elt_sync_id: id, added } },
        manager,
      );
    });
    await this.notifier.notify(queued);
    return { ...(await this.get(id, organizations)), initial_load_run_id: initialLoadRunId };
  }

  async requestRun(streamId: string, organizations: string[]) {
    const { stream, sync, connection } = await this.streamContext(streamId, organizations);
    const jobs = await this.dataSource.transaction(async (manager) => {
      const refs = [
        await this.jobs.insertJob(manager, { organizationUid: sync.organization_uid, connection, kind: 'association_sweep', objectTypes: [stream.name], source: 'api', eltSyncId: sync.id }),
        await this.jobs.insertJob(manager, { organizationUid: sync.organization_uid, connection, kind: 'delete_sweep', objectTypes: [stream.name], source: 'api', eltSyncId: sync.id }),
      ];
      await manager.query(`UPDATE sync.elt_streams SET last_run_requested_at = now() WHERE id = $1`, [stream.id]);
      await this.events.record(
        { organizationUid: sync.organization_uid, type: 'elt_stream.run_requested', message: `Run requested for stream ${stream.name}`, data: { elt_stream_id: stream.id, job_ids: refs.map((r) => r.id) } },
        manager,
      );
      return refs;
    });
    await this.notifier.notify(jobs);
    return { id: stream.id, name: stream.name, status: 'queued', job_ids: jobs.map((j) => j.id) };
  }

  async requestFullRefresh(streamId: string, organizations: string[]) {
    const { stream, sync, connection } = await this.streamContext(streamId, organizations);
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('full-refresh:' || $1::text, 0))`, [stream.id]);
      const pending: { run_id: string | null }[] = await manager.query(
        `SELECT run_id FROM sync.jobs WHERE elt_sync_id = $1 AND kind = 'full_refresh' AND $2 = ANY(object_types) AND status IN ('queued','running') LIMIT 1`,
        [sync.id, stream.name],
      );
      if (pending.length > 0) return { skipped: true as const, runId: pending[0].run_id };
      const runId = await this.jobs.createRun(manager, { organizationUid: sync.organization_uid, connection, kind: 'full_refresh', objectTypes: [stream.name] });
      const job = await this.jobs.insertJob(manager, { organizationUid: sync.organization_uid, connection, kind: 'full_refresh', objectTypes: [stream.name], source: 'api', runId, eltSyncId: sync.id });
      await manager.query(`UPDATE sync.elt_streams SET last_full_refresh_requested_at = now() WHERE id = $1`, [stream.id]);
      await this.events.record(
        { organizationUid: sync.organization_uid, runId, jobId: job.id, type: 'elt_stream.full_refresh_requested', message: `Full refresh requested for stream ${stream.name}`, data: { elt_stream_id: stream.id } },
        manager,
      );
      return { skipped: false as const, runId, job };
    });
    if (result.skipped) return { accepted: false, body: { id: stream.id, name: stream.name, skipped: true, reason: 'full_refresh_in_progress', run_id: result.runId } };
    await this.notifier.notify([result.job]);
    return { accepted: true, body: { id: stream.id, name: stream.name, status: 'queued', run_id: result.runId, job_id: result.job.id } };
  }

  private async streamContext(streamId: string, organizations: string[]) {
    if (!UUID.test(streamId)) throw new NotFoundException(`ELT stream ${streamId} not found`);
    const rows: EltStreamRow[] = await this.dataSource.query(
      `SELECT * FROM sync.elt_streams WHERE id = $1 AND organization_uid = ANY($2::uuid[])`,
      [streamId, organizations],
    );
    if (rows.length === 0) throw new NotFoundException(`ELT stream ${streamId} not found`);
    const stream = rows[0];
    const sync = await this.find(stream.elt_sync_id, organizations);
    if (sync.status !== 'active') throw new ConflictException({ message: `ELT sync ${sync.id} is disabled; enable it first`, details: { reason: 'elt_sync_disabled' } });
    const connection = await this.connections.findInOrganizations(sync.connection_id, [sync.organization_uid]);
    if (!connection || connection.status !== 'active') {
      throw new ConflictException({
        message: `Connection ${sync.connection_id} is ${connection?.status ?? 'gone'}; reconnect it first`,
        details: { reason: connection ? connection.status : 'connection_missing' },
      });
    }
    return { stream, sync, connection };
  }

  private async find(id: string, organizations: string[]): Promise<EltSyncRow> {
    if (!UUID.test(id)) throw new NotFoundException(`ELT sync ${id} not found`);
    const rows: EltSyncRow[] = await this.dataSource.query(`${SYNC_SELECT} WHERE e.id = $1 AND e.organization_uid = ANY($2::uuid[])`, [id, organizations]);
    if (rows.length === 0) throw new NotFoundException(`ELT sync ${id} not found`);
    return rows[0];
  }

  private async streamsOf(syncIds: string[]): Promise<Map<string, EltStreamRow[]>> {
    const map = new Map<string, EltStreamRow[]>();
    if (syncIds.length === 0) return map;
    const rows: EltStreamRow[] = await this.dataSource.query(`SELECT * FROM sync.elt_streams WHERE elt_sync_id = ANY($1::uuid[]) ORDER BY created_at, name`, [syncIds]);
    for (const row of rows) map.set(row.elt_sync_id, [...(map.get(row.elt_sync_id) ?? []), row]);
    return map;
  }

  /**
   * Streams a connection can offer: standard object types whose read scope was granted (all of them
   * when the connection recorded no scopes) and the custom object types the mirror knows.
   */
  private async catalog(organizationUid: string, connection: ConnectionRow | null): Promise<Omit<AvailableStream, 'selected'>[]> {
    const scopes = new Set(connection?.scopes ?? []);
    const standard = STANDARD_OBJECT_TYPES.filter((t) => scopes.size === 0 || t.readScopes.some((s) => scopes.has(s))).map((t) => ({
      name: t.name,
      label: t.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
      custom: false,
    }));
    let custom: { name: string; label: string; custom: boolean }[] = [];
    try {
      const rows: { object_type: string; fully_qualified_name: string | null }[] = await this.dataSource.query(
        `SELECT object_type, fully_qualified_name FROM hubspot.object_schemas WHERE organization_uid = $1 AND is_custom ORDER BY object_type`,
        [organizationUid],
      );
      custom = rows.map((r) => ({ name: r.object_type, label: r.fully_qualified_name ?? r.object_type, custom: true }));
    } catch {
      // No mirror schema metadata yet: only standard streams are offered.
    }
    return [...standard, ...custom];
  }

  private checkSchedule(syncInterval: string, timeZone: string): void {
    try {
      validateCron(syncInterval, DEFAULT_TIME_ZONE);
    } catch (error) {
      if (error instanceof CronError) throw invalidField('sync_interval', error.message);
      throw error;
    }
    try {
      validateCron(syncInterval, timeZone);
    } catch (error) {
      if (error instanceof CronError) throw invalidField('time_zone', `"${timeZone}" is not a known IANA time zone`);
      throw error;
    }
  }

  /** Asks the mapper to (re)build the org's typed views in its destination schema (sync.remap_requests, owner: mapper). */
  private async requestViews(manager: EntityManager, organizationUid: string, reason: string): Promise<void> {
    await manager.query(`INSERT INTO sync.remap_requests (organization_uid, target_entity, reason) VALUES ($1, 'views', $2)`, [organizationUid, reason]);
  }

  /** Serialises schema-name claims so two requests cannot take one name (the unique index is the backstop). */
  private async lockSchemaNames(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('destination-schema-names', 0))`);
  }

  /**
   * A name is taken when another ELT sync uses it, when it is another organization's default schema
   * name, or when a schema of that name exists that is not this organization's own default (it may
   * hold another tenant's views).
   */
  private async checkSchemaAvailable(manager: EntityManager, name: string, organizationUid: string, exceptSyncId: string | null): Promise<void> {
    const other = await manager.query(`SELECT 1 FROM sync.elt_syncs WHERE lower(destination_schema_name) = lower($1) AND ($2::uuid IS NULL OR id <> $2::uuid)`, [
      name,
      exceptSyncId,
    ]);
    const otherDefault = await manager.query(
      `SELECT 1 FROM core.organizations WHERE uid <> $2 AND 'hubspot_' || left(replace(uid::text, '-', ''), 8) = $1 LIMIT 1`,
      [name, organizationUid],
    );
    const existing = name === defaultDestinationSchema(organizationUid) ? [] : await manager.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [name]);
    if (other.length > 0 || otherDefault.length > 0 || existing.length > 0) {
      throw invalidField('destination_schema_name', `"${name}" is already taken; choose another schema name`);
    }
  }
}

const SYNC_SELECT = `SELECT e.id, e.organization_uid, e.connection_id, e.destination_schema_name, e.sync_interval, e.time_zone, e.status,
  e.created_at, e.updated_at, s.next_fire_at FROM sync.elt_syncs e LEFT JOIN sync.schedules s ON s.elt_sync_id = e.id`;

function present(row: EltSyncRow, streams: Map<string, EltStreamRow[]>) {
  return {
    id: row.id,
    organization_uid: row.organization_uid,
    connection_id: row.connection_id,
    integration_id: 'hubspot-v2',
    destination_schema_name: row.destination_schema_name,
    sync_interval: row.sync_interval,
    time_zone: row.time_zone,
    status: row.status,
    next_run_at: iso(row.next_fire_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    source_streams: (streams.get(row.id) ?? []).map((s) => ({ id: s.id, name: s.name, status: s.status, created_at: iso(s.created_at) })),
  };
}

function iso(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
