import { Client } from '@hubspot/api-client';
import { DataSource, EntitySchema } from 'typeorm';
import { BaselineConfig, BaselineResult } from './baseline-types';

/** The row a hand-written sync keeps per record: a plain table, primary key only. */
interface NaiveRecord {
  objectType: string;
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | null;
  updatedAt: Date | null;
  archived: boolean;
}

const NaiveRecordSchema = new EntitySchema<NaiveRecord>({
  name: 'NaiveRecord',
  schema: 'bench',
  tableName: 'naive_records',
  columns: {
    objectType: { name: 'object_type', type: 'text', primary: true },
    id: { type: 'text', primary: true },
    properties: { type: 'jsonb' },
    createdAt: { name: 'created_at', type: 'timestamptz', nullable: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', nullable: true },
    archived: { type: 'boolean' },
  },
});

type Page = { results: Array<{ id: string; properties: Record<string, string | null>; createdAt: Date; updatedAt: Date; archived?: boolean }> };

/**
 * issue 8 §1 `naive`: what a user writes by hand — the SDK's `getAll()` per object type (every
 * page into memory; the engagement types have no `getAll` in @hubspot/api-client 13.5, so the same
 * `basicApi.getPage` loop getAll runs, src/services/getAll.ts), then TypeORM `save()` per record.
 * Runs until at least `timeBoxSeconds` have passed (whole passes over the types, the table emptied
 * between passes so every save is an insert), stopping at the first record after the box.
 * The rate is extrapolated from the measured parts, because a box usually ends mid-type:
 * seconds per record = fetch seconds / records fetched + save seconds / records saved.
 */
export async function runNaive(config: BaselineConfig): Promise<Omit<BaselineResult, 'peak_rss_mb' | 'cpu_s'>> {
  const hubspot = new Client({ accessToken: config.token, basePath: config.sandboxUrl, numberOfApiCallRetries: 0 });
  const source = new DataSource({ type: 'postgres', url: config.databaseUrl, entities: [NaiveRecordSchema], synchronize: false, logging: false });
  await source.initialize();
  try {
    await source.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await source.query(`DROP TABLE IF EXISTS bench.naive_records`);
    await source.query(`CREATE TABLE bench.naive_records (object_type text, id text, properties jsonb NOT NULL, created_at timestamptz, updated_at timestamptz, archived boolean NOT NULL, PRIMARY KEY (object_type, id))`);
    const repo = source.getRepository(NaiveRecordSchema);

    const properties = new Map<string, string[]>();
    for (const type of config.objectTypes) {
      properties.set(type, (await hubspot.crm.properties.coreApi.getAll(type)).results.map((p) => p.name));
    }
    const getAll = async (type: string): Promise<Page['results']> => {
      const props = properties.get(type);
      switch (type) {
        case 'contacts':
          return hubspot.crm.contacts.getAll(100, undefined, props);
        case 'companies':
          return hubspot.crm.companies.getAll(100, undefined, props);
        case 'deals':
          return hubspot.crm.deals.getAll(100, undefined, props);
        default: {
          let out: Page['results'] = [];
          let after: string | undefined;
          do {
            const page = await hubspot.crm.objects.basicApi.getPage(type, 100, after, props);
            out = out.concat(page.results);
            after = page.paging?.next?.after;
          } while (after);
          return out;
        }
      }
    };

    const boxMs = config.timeBoxSeconds * 1000;
    const started = Date.now();
    let fetchMs = 0;
    let saveMs = 0;
    let fetched = 0;
    let saved = 0;
    let passes = 0;
    outer: for (;;) {
      passes++;
      if (passes > 1) await source.query(`TRUNCATE bench.naive_records`);
      for (const type of config.objectTypes) {
        const f0 = Date.now();
        const records = await getAll(type);
        fetchMs += Date.now() - f0;
        fetched += records.length;
        for (const r of records) {
          if (Date.now() - started >= boxMs && saved > 0) break outer;
          const s0 = Date.now();
          await repo.save({ objectType: type, id: r.id, properties: r.properties, createdAt: r.createdAt ?? null, updatedAt: r.updatedAt ?? null, archived: r.archived ?? false });
          saveMs += Date.now() - s0;
          saved++;
        }
      }
      if (Date.now() - started >= boxMs) break;
    }
    const seconds = (Date.now() - started) / 1000;
    const perRecordS = fetched > 0 && saved > 0 ? fetchMs / 1000 / fetched + saveMs / 1000 / saved : null;
    return {
      kind: 'naive',
      records: saved,
      seconds,
      records_per_s: perRecordS ? 1 / perRecordS : null,
      method: 'extrapolated: 1 / (fetch_s / records_fetched + save_s / records_saved), SDK getAll() then TypeORM save() per record, sequential',
      details: {
        records_fetched: fetched,
        records_saved: saved,
        fetch_s: fetchMs / 1000,
        save_s: saveMs / 1000,
        passes,
        measured_records_per_s: seconds > 0 ? saved / seconds : null,
      },
    };
  } finally {
    await source.destroy().catch(() => undefined);
  }
}
