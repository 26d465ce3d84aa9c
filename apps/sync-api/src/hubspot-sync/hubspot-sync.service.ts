import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { SyncJobFilters } from '@hubsync/contracts';
import { FiltersService } from '../filters/filters.service';
import { invalidInput } from '../http/request-errors';
import { FreshReadCoalescer } from '../runs/fresh-read-coalescer';
import { effectiveObjectStatus, ObjectRunRow, RunRow, RunsReader } from '../runs/runs.reader';
import { SyncStarter } from '../work/sync-starter.service';
import { StagesDto, StartSyncDto } from './hubspot-sync.dto';
import { MirrorPipeline } from './pipelines.reader';
import { StagesService } from './stages.service';

/** Exante's sync order (seed 000): deals, then their companies, then those companies' contacts. */
export const EXANTE_OBJECT_TYPES = ['deals', 'companies', 'contacts'];
/** Object types the status answer always shows (seed 000), even before a sync. */
const ALWAYS_SHOWN = ['companies', 'contacts', 'deals'];

export type StartSyncAnswer =
  | { accepted: true; body: { run_id: string; status: 'queued'; organization_uid: string; mode: string; deal_stages?: string[] } }
  | { accepted: false; body: { skipped: true; reason: 'sync_in_progress'; run_id: string | null } };

export interface ObjectState {
  status: string;
  total_synced?: number;
  total_skipped?: number;
  error_message?: string;
}

@Injectable()
export class HubspotSyncService {
  /** Concurrent polls of one organization's status share a read that started after they arrived. */
  private readonly statusReads = new FreshReadCoalescer<Record<string, unknown>>();

  constructor(
    private readonly starter: SyncStarter,
    private readonly stages: StagesService,
    private readonly runs: RunsReader,
    private readonly filters: FiltersService,
  ) {}

  async start(organizationUid: string, dto: StartSyncDto): Promise<StartSyncAnswer> {
    const mode = dto.mode ?? 'full';
    const connection = await this.starter.requireConnection(organizationUid);
    if (dto.deal_stages) {
      const pipelines = await this.stages.dealPipelines(organizationUid, connection);
      if (pipelines.length === 0) throw pipelinesUnavailable();
      this.checkStages(dto.deal_stages, pipelines);
    }
    const compiled = await this.filters.compiled(organizationUid);
    const filters: SyncJobFilters = {
      ...(dto.deal_stages ? { dealStages: dto.deal_stages } : {}),
      ...(Object.keys(compiled.criteria).length > 0 ? { criteria: pick(compiled.criteria, EXANTE_OBJECT_TYPES) } : {}),
    };
    const result = await this.starter.start({
      organizationUid,
      connection,
      kind: 'full_sync',
      objectTypes: EXANTE_OBJECT_TYPES,
      mode,
      filters,
      source: 'api',
      describe: `HubSpot sync (${mode}${dto.deal_stages ? `, deal stages ${dto.deal_stages.join(', ')}` : ''})`,
    });
    if (!result.started) return { accepted: false, body: { skipped: true, reason: 'sync_in_progress', run_id: result.runId } };
    return {
      accepted: true,
      body: { run_id: result.runId, status: 'queued', organization_uid: organizationUid, mode, ...(dto.deal_stages ? { deal_stages: dto.deal_stages } : {}) },
    };
  }

  /** Seed 000 status: one entry per object type of the latest sync run, from `sync.object_runs`. */
  status(organizationUid: string): Promise<Record<string, unknown>> {
    return this.statusReads.read(organizationUid, () => this.readStatus(organizationUid));
  }

  private async readStatus(organizationUid: string): Promise<Record<string, unknown>> {
    const run = await this.runs.latest(organizationUid, ['full_sync', 'backfill']);
    const objects = run ? await this.runs.objectRuns([run.id]) : [];
    const answer: Record<string, unknown> = { organization_uid: organizationUid };
    for (const type of ALWAYS_SHOWN) answer[type] = { status: 'not_started', total_synced: 0 };
    for (const object of objects) answer[object.object_type] = objectState(object, run as RunRow);
    return answer;
  }

  async stagesFor(organizationUid: string): Promise<StagesDto> {
    const connection = await this.starter.requireConnection(organizationUid);
    const pipelines = await this.stages.dealPipelines(organizationUid, connection);
    if (pipelines.length === 0) throw pipelinesUnavailable();
    return {
      pipelines: pipelines.map((p) => ({ id: p.id, label: p.label, stages: p.stages.map((s) => ({ id: s.id, label: s.label, display_order: s.display_order })) })),
    };
  }

  private checkStages(requested: string[], pipelines: MirrorPipeline[]): void {
    const valid = pipelines.flatMap((p) => p.stages.map((s) => s.id));
    const known = new Set(valid);
    const unknown = requested.map((id, index) => ({ id, index })).filter(({ id }) => !known.has(id));
    if (unknown.length === 0) return;
    throw invalidInput(
      unknown.map(({ id, index }) => ({
        field: `deal_stages.${index}`,
        message: `deal_stages.${index} "${id}" is not a deal stage of the connected portal; valid stage ids: ${valid.join(', ')}`,
        allowed: valid,
      })),
    );
  }
}

/** The seed's per-object shape: counts while they mean something, the error when failed. */
export function objectState(object: ObjectRunRow, run: RunRow): ObjectState {
  const { status, error } = effectiveObjectStatus(object, run);
  const state: ObjectState = { status };
  if (status !== 'failed' || object.total_synced > 0) state.total_synced = object.total_synced;
  if (object.total_skipped > 0) state.total_skipped = object.total_skipped;
  if (status === 'failed' && error) state.error_message = error;
  return state;
}

function pipelinesUnavailable(): HttpException {
  return new HttpException(
    {
      message: 'The connected portal\'s deal pipelines are not in the mirror yet; a pipelines fetch was requested — retry in a few seconds',
      details: { reason: 'pipelines_unavailable' },
    },
    HttpStatus.SERVICE_UNAVAILABLE,
  );
}

function pick<T>(record: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keys.includes(k)));
}
