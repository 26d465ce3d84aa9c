import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ENGAGEMENT_OBJECT_TYPES } from '@hubsync/contracts';
import { TARGET_ENTITIES } from '@hubsync/domain';
import { MapperDatabase } from '../database/mapper-database';
import { MirrorObjectsRepository } from '../mirror/mirror-objects.repository';
import { MappingRun } from '../models/mapping-run';
import { ModelMapperService } from '../models/model-mapper.service';
import { OrgSettingsRepository } from '../models/org-settings.repository';
import { SkippedRecordsRepository } from '../progress/skipped-records.repository';
import { recordCascadeSkips } from '../batches/cascade-skips';
import { TypedViewsService } from '../typed-views/typed-views.service';
import { RemapRequestsRepository } from './remap-requests.repository';

export const REMAP_OPTIONS = Symbol('REMAP_OPTIONS');

export interface RemapOptions {
  /** How often a mapper looks for remap requests (ms); 0 disables the worker. */
  pollIntervalMs: number;
  /** Records per transaction while re-mapping. */
  pageSize: number;
}

/** Order that lets dependents see their inputs: deals before companies (MRR), companies before contacts (client links). */
const ALL_SOURCE_TYPES = ['deals', 'companies', 'contacts', ...ENGAGEMENT_OBJECT_TYPES];

/**
 * Re-maps an org from the mirror, without refetching (issue 6 §5: "a changed mapping re-maps from the
 * mirror"): requests come from `sync.remap_requests` (sync-api inserts one when mappings or settings
 * change; the mapper when deal pipelines change). Page by page, one transaction each.
 */
@Injectable()
export class RemapService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RemapService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: MapperDatabase,
    private readonly requests: RemapRequestsRepository,
    private readonly objects: MirrorObjectsRepository,
    private readonly settings: OrgSettingsRepository,
    private readonly models: ModelMapperService,
    private readonly skipped: SkippedRecordsRepository,
    private readonly views: TypedViewsService,
    @Inject(REMAP_OPTIONS) private readonly options: RemapOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.options.pollIntervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Processes open requests until none is left (also what the timer runs). Returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const req = await this.db.transaction((sql) => this.requests.claim(sql, 10 * 60_000));
      if (!req) return n;
      n++;
      try {
        await this.remap(req.organization_uid, req.target_entity);
        await this.db.transaction((sql) => this.requests.finish(sql, req.id, null));
      } catch (error) {
        this.logger.error(`remap ${req.target_entity ?? 'all'} of ${req.organization_uid} failed: ${(error as Error).message}`);
        await this.db.transaction((sql) => this.requests.finish(sql, req.id, (error as Error).message));
      }
    }
  }

  /** Re-maps one entity (or everything when null; `views` regenerates the typed views). */
  async remap(organizationUid: string, targetEntity: string | null): Promise<number> {
    if (targetEntity === 'views') {
      await this.views.regenerateAll(organizationUid);
      return 0;
    }
    if (targetEntity === null) await this.views.regenerateAll(organizationUid);
    const types = targetEntity === null ? ALL_SOURCE_TYPES : (TARGET_ENTITIES[targetEntity]?.sourceObjectTypes ?? []);
    if (targetEntity !== null && types.length === 0) throw new Error(`unknown remap target ${targetEntity}`);
    let total = 0;
    for (const type of types) total += await this.remapType(organizationUid, type);
    return total;
  }

  private async remapType(organizationUid: string, objectType: string): Promise<number> {
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const done: number = await this.db.transaction(async (sql) => {
        const ids = await this.objects.idsAfter(sql, organizationUid, objectType, after, this.options.pageSize);
        if (ids.length === 0) return 0;
        after = ids[ids.length - 1];
        const rows = await this.objects.load(sql, organizationUid, objectType, ids);
        const portalId = await this.portalOf(sql, organizationUid, objectType, ids[0]);
        const run = new MappingRun(sql, organizationUid, portalId, null, await this.settings.load(sql, organizationUid, null), new Date());
        const outcome = await this.models.mapObjects(run, objectType, rows);
        await recordCascadeSkips(
          sql,
          this.skipped,
          organizationUid,
          [...outcome.skips].map(([id, skip]) => ({ objectType, objectId: id, skip })).concat(run.cascadeSkips),
        );
        return ids.length;
      });
      total += done;
      if (done < this.options.pageSize) return total;
    }
  }

  private async portalOf(sql: Parameters<Parameters<MapperDatabase['transaction']>[0]>[0], org: string, type: string, id: string): Promise<string> {
    const [row] = await sql.query<{ portal_id: string }>(`SELECT portal_id FROM hubspot.objects WHERE organization_uid = $1 AND object_type = $2 AND id = $3`, [org, type, id]);
    return row?.portal_id ?? '';
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.drain()
      .then(() => undefined)
      .catch((error) => this.logger.error(`remap worker: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
    await this.running;
  }
}
