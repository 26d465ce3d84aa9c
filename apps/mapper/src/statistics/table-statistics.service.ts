import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { MapperDatabase } from '../database/mapper-database';

export const TABLE_STATISTICS_OPTIONS = Symbol('TABLE_STATISTICS_OPTIONS');

export interface TableStatisticsOptions {
  /** Rows of one kind (an object type, or associations) an org writes before the first ANALYZE; the next after 4× as many (0 = never). */
  firstAnalyzeRows: number;
}

/*
 * ANALYZE targets with the columns the mapping queries filter and join on. Only these columns are
 * sampled: the org/type selectivities are what the plans depend on, and skipping the wide columns
 * (the mirror's `properties` jsonb, texts) makes a pass several times cheaper (measured: 15 whole
 * tables took 1–3 s on the loaded 2-core machine). Row counts are refreshed either way.
 */
const OBJECTS = 'hubspot.objects (organization_uid, object_type, id, archived)';
const RUN_BOOKKEEPING = ['sync.run_records (run_id, object_type, object_id)', 'sync.skipped_records (organization_uid, run_id, object_type, object_id)'];

/** What a batch of an object type no model reads touches: the mirror and run bookkeeping. */
export const MIRROR_TABLES = [OBJECTS, ...RUN_BOOKKEEPING];

/** The tables the mapping queries read by organization (the mirror, the models, run bookkeeping). */
export const MAPPING_TABLES = [
  OBJECTS,
  'hubspot.associations (organization_uid, from_type, to_type, from_id, to_id)',
  'stanna.clients (organization_uid, company_id, domain)',
  'stanna.stakeholders (organization_uid, contact_id, client_company_id)',
  'stanna.deals (organization_uid, deal_id, company_ids)',
  'stanna.activities (organization_uid, activity_type, activity_id, company_ids, contact_ids)',
  'stanna.health_scores (organization_uid, company_id)',
  'exante.documents (organization_uid, deal_id)',
  'exante.parties (organization_uid, company_id)',
  'exante.contacts (organization_uid, contact_id)',
  'exante.document_parties (organization_uid, deal_id, company_id)',
  'exante.party_contacts (organization_uid, company_id, contact_id)',
  'exante.external_object_catalog (organization_uid, object_type, external_id)',
  ...RUN_BOOKKEEPING,
];

/**
 * Keeps the planner's statistics in step with an organization's initial sync. Every mapping query
 * filters on `organization_uid` (and on `object_type` in the mirror); while an org's rows of a type
 * are not yet in the statistics (a new org, or tables analysed before that type arrived),
 * PostgreSQL estimates one row for them, treats `objects_org_type_updated` as good as the primary
 * key for an id lookup, and picks plans that scan all the org's rows of the type once per probe —
 * measured at 20 k records: the Exante reach query went from under 1 ms to 200 ms–3.7 s per batch,
 * and the cost grows with every batch. Autovacuum re-analyses only after 10 % of a table changed and
 * at most once a minute, far behind a backfill writing thousands of rows a second. So the mapper runs
 * ANALYZE itself when an org has written 1×, 4×, 16×… `firstAnalyzeRows` rows of one kind (a few
 * runs per org and type, logarithmic in its size), in the background, one at a time, outside any
 * batch transaction (ANALYZE takes a lock that does not block writes; on a table the mapper's role
 * does not own, PostgreSQL skips it with a warning).
 */
@Injectable()
export class TableStatisticsService implements OnApplicationShutdown {
  private readonly logger = new Logger(TableStatisticsService.name);
  /** Per org and kind (object type or `associations:<from>:<to>`): rows written, and the count that triggers the next ANALYZE. */
  private readonly written = new Map<string, { rows: number; nextAnalyzeAt: number }>();
  private running?: Promise<void>;
  /** Tables waiting for the next ANALYZE (requests arriving while one runs are merged into one more). */
  private readonly pending = new Set<string>();

  constructor(
    private readonly db: MapperDatabase,
    @Inject(TABLE_STATISTICS_OPTIONS) private readonly options: TableStatisticsOptions,
  ) {}

  /**
   * Counts rows of one kind a committed batch wrote for an org; when it crossed its next threshold,
   * ANALYZEs `tables` (the mirror's and the models' tables by default).
   */
  recordWrites(organizationUid: string, kind: string, rows: number, tables: readonly string[] = MAPPING_TABLES): void {
    if (this.options.firstAnalyzeRows <= 0 || rows <= 0) return;
    const key = `${organizationUid}|${kind}`;
    const entry = this.written.get(key) ?? { rows: 0, nextAnalyzeAt: this.options.firstAnalyzeRows };
    entry.rows += rows;
    this.written.set(key, entry);
    if (entry.rows < entry.nextAnalyzeAt) return;
    while (entry.nextAnalyzeAt <= entry.rows) entry.nextAnalyzeAt *= 4;
    for (const t of tables) this.pending.add(t);
    this.running ??= this.analyzePending().finally(() => (this.running = undefined));
  }

  /** Resolves when no ANALYZE is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async analyzePending(): Promise<void> {
    while (this.pending.size) {
      const tables = [...this.pending];
      this.pending.clear();
      try {
        await this.db.query(`ANALYZE ${tables.join(', ')}`);
      } catch (error) {
        this.logger.warn(`ANALYZE ${tables.join(', ')} failed: ${(error as Error).message}`);
      }
    }
  }
}
