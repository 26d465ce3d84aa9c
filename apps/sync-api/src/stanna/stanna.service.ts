import { Injectable } from '@nestjs/common';
import { ENGAGEMENT_OBJECT_TYPES } from '@hubsync/contracts';
import { connectionStatusData, ConnectionsReader } from '../connections/connections.reader';
import { FiltersService } from '../filters/filters.service';
import { isKnownObjectType } from '../filters/sync-filters';
import { invalidField, invalidInput } from '../http/request-errors';
import { FreshReadCoalescer } from '../runs/fresh-read-coalescer';
import { effectiveObjectStatus, RunRow, RunsReader } from '../runs/runs.reader';
import { SyncStarter } from '../work/sync-starter.service';
import { DEFAULT_LOOKBACK, lookbackStart, LookbackError, parseLookback } from './lookback';
import { BackfillDto } from './stanna.dto';
import { NotFoundException } from '@nestjs/common';

/** Seed 002 data types: companies, contacts, deals, activities. */
export const STANNA_OBJECT_TYPES = ['companies', 'contacts', 'deals', ...ENGAGEMENT_OBJECT_TYPES];

export type StartAnswer =
  | { accepted: true; body: Record<string, unknown> }
  | { accepted: false; body: { skipped: true; reason: 'sync_in_progress'; run_id: string | null } };

@Injectable()
export class StannaService {
  /** Concurrent polls of one organization's status share a read that started after they arrived. */
  private readonly statusReads = new FreshReadCoalescer<Record<string, unknown>>();

  constructor(
    private readonly connections: ConnectionsReader,
    private readonly runs: RunsReader,
    private readonly starter: SyncStarter,
    private readonly filters: FiltersService,
  ) {}

  /** Seed 002 "Verify Connection": connection status, last successful sync time, scopes. */
  hubspotStatus(organizationUid: string): Promise<Record<string, unknown>> {
    return this.statusReads.read(`hubspot|${organizationUid}`, () => this.readHubspotStatus(organizationUid));
  }

  private async readHubspotStatus(organizationUid: string) {
    const connection = await this.connections.primary(organizationUid);
    const last = connection ? await this.runs.lastSuccessful(organizationUid, connection.id) : null;
    const data = connection
      ? connectionStatusData(connection)
      : { connected: false, connection_id: null, portal_id: null, auth_type: null, status: 'disconnected', scopes: [], missing_scopes: [], last_error: null, connected_at: null };
    return {
      organization_uid: organizationUid,
      ...data,
      last_successful_sync: last ? { run_id: last.id, kind: last.kind, finished_at: iso(last.finished_at) } : null,
      last_successful_sync_at: last ? iso(last.finished_at) : null,
    };
  }

  async integrationsStatus(organizationUid: string) {
    const connections = await this.connections.listForOrganization(organizationUid);
    const running = await this.starter.inProgress(organizationUid);
    const integrations = await Promise.all(
      connections.map(async (c) => {
        const last = await this.runs.lastSuccessful(organizationUid, c.id);
        return {
          integration_id: c.integration_id,
          provider: 'hubspot',
          label: c.label,
          ...connectionStatusData(c),
          last_successful_sync_at: last ? iso(last.finished_at) : null,
          sync_in_progress: running !== null,
        };
      }),
    );
    return { organization_uid: organizationUid, integrations };
  }

  async backfill(organizationUid: string, dto: BackfillDto): Promise<StartAnswer> {
    const lookbackText = dto.lookback ?? DEFAULT_LOOKBACK;
    let createdAfter: Date;
    try {
      createdAfter = lookbackStart(parseLookback(lookbackText), new Date());
    } catch (error) {
      if (error instanceof LookbackError) throw invalidField('lookback', error.message.replace(/^lookback /, ''));
      throw error;
    }
    const unknown = (dto.object_types ?? []).map((t, i) => ({ t, i })).filter(({ t }) => !isKnownObjectType(t));
    if (unknown.length > 0) {
      throw invalidInput(unknown.map(({ t, i }) => ({ field: `object_types.${i}`, message: `object_types.${i} "${t}" is not a HubSpot object type`, allowed: STANNA_OBJECT_TYPES })));
    }
    const compiled = await this.filters.compiled(organizationUid);
    const objectTypes = dto.object_types ?? this.defaultTypes(compiled.activityTypes);
    const result = await this.starter.start({
      organizationUid,
      kind: 'backfill',
      objectTypes,
      filters: { createdAfter: createdAfter.toISOString(), ...criteriaFor(compiled.criteria, objectTypes) },
      source: 'api',
      describe: `Backfill of ${objectTypes.join(', ')} created after ${createdAfter.toISOString()} (lookback ${lookbackText})`,
    });
    if (!result.started) return { accepted: false, body: { skipped: true, reason: 'sync_in_progress', run_id: result.runId } };
    return {
      accepted: true,
      body: { run_id: result.runId, status: 'queued', organization_uid: organizationUid, lookback: lookbackText, created_after: createdAfter.toISOString(), object_types: objectTypes },
    };
  }

  /** Seed 002 "POST /api/ingest/run — Trigger full data sync": every Stanna object type, all records. */
  async ingestRun(organizationUid: string): Promise<StartAnswer> {
    const compiled = await this.filters.compiled(organizationUid);
    const objectTypes = this.defaultTypes(compiled.activityTypes);
    const result = await this.starter.start({
      organizationUid,
      kind: 'full_sync',
      objectTypes,
      filters: criteriaFor(compiled.criteria, objectTypes),
      source: 'api',
      describe: `Full data sync of ${objectTypes.join(', ')}`,
    });
    if (!result.started) return { accepted: false, body: { skipped: true, reason: 'sync_in_progress', run_id: result.runId } };
    return { accepted: true, body: { run_id: result.runId, status: 'queued', organization_uid: organizationUid, object_types: objectTypes } };
  }

  /** Seed 002 "GET /api/ingest/status — Check sync progress": counts, percent of the estimate, times, errors. */
  ingestStatus(organizationUid: string, runId?: string): Promise<Record<string, unknown>> {
    return this.statusReads.read(`ingest|${organizationUid}|${runId ?? ''}`, () => this.readIngestStatus(organizationUid, runId));
  }

  private async readIngestStatus(organizationUid: string, runId?: string) {
    const run = runId ? await this.runs.byId(organizationUid, runId) : await this.runs.latest(organizationUid, ['full_sync', 'backfill']);
    if (runId && !run) throw new NotFoundException(`Run ${runId} not found`);
    if (!run) return { organization_uid: organizationUid, run_id: null, status: 'not_started', percent: 0, objects: {}, errors: [] };
    return { organization_uid: organizationUid, ...runProgress(run, await this.runs.objectRuns([run.id])) };
  }

  private defaultTypes(activityTypes?: string[]): string[] {
    return ['companies', 'contacts', 'deals', ...(activityTypes ?? ENGAGEMENT_OBJECT_TYPES)];
  }
}

export function runProgress(run: RunRow, objects: Awaited<ReturnType<RunsReader['objectRuns']>>) {
  const perObject: Record<string, unknown> = {};
  const errors: { object_type: string; message: string }[] = [];
  let done = 0;
  let estimate = 0;
  let allCompleted = objects.length > 0;
  let anyFailed = false;
  for (const o of objects) {
    const { status, error } = effectiveObjectStatus(o, run);
    const processed = o.total_synced + o.total_skipped;
    const objectEstimate = o.estimate ?? null;
    const percent = status === 'completed' ? 100 : objectEstimate ? Math.min(99.9, Math.round((processed / Math.max(objectEstimate, 1)) * 1000) / 10) : 0;
    perObject[o.object_type] = {
      status,
      total_synced: o.total_synced,
      total_skipped: o.total_skipped,
      estimate: objectEstimate,
      percent,
      started_at: iso(o.fetch_started_at),
      finished_at: iso(o.completed_at),
      requests: o.requests,
      http_429: o.http_429,
      ...(error ? { error_message: error } : {}),
    };
    if (error) errors.push({ object_type: o.object_type, message: error });
    if (status !== 'completed') allCompleted = false;
    if (status === 'failed') anyFailed = true;
    done += status === 'completed' ? Math.max(processed, objectEstimate ?? 0) : processed;
    estimate += status === 'completed' ? Math.max(processed, objectEstimate ?? 0) : Math.max(objectEstimate ?? 0, processed);
  }
  if (run.job_status === 'failed' && run.job_error && !errors.some((e) => e.message === run.job_error)) errors.push({ object_type: '*', message: run.job_error });
  const status = allCompleted ? 'completed' : anyFailed || run.status === 'failed' ? 'failed' : run.job_status === 'queued' ? 'queued' : 'running';
  const finishedAt = allCompleted ? objects.map((o) => o.completed_at).filter(Boolean).sort().pop() ?? run.finished_at : run.finished_at;
  return {
    run_id: run.id,
    kind: run.kind,
    mode: run.mode,
    status,
    percent: status === 'completed' ? 100 : estimate > 0 ? Math.min(99.9, Math.round((done / estimate) * 1000) / 10) : 0,
    started_at: iso(run.job_started_at ?? run.created_at),
    finished_at: iso(finishedAt ?? null),
    objects: perObject,
    errors,
  };
}

function criteriaFor(criteria: Record<string, unknown[]>, objectTypes: string[]) {
  const picked = Object.fromEntries(Object.entries(criteria).filter(([t]) => objectTypes.includes(t)));
  return Object.keys(picked).length > 0 ? { criteria: picked as never } : {};
}

function iso(value: Date | string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
