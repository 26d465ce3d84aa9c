import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mapper looks deals and activities up by company/contact through these GIN indexes in every
 * batch, while the same batches keep inserting into them. With `fastupdate` (the default) new
 * entries wait in a pending list that every search scans linearly until a vacuum merges it; during
 * a backfill that list is always long: one `company_ids @> ARRAY[id]` probe took 1.2 ms on 4 k deals
 * (measured, mapper profile). Without it inserts update the index directly and probes stay
 * index-speed. Turning it off does not flush the existing list; the next vacuum does.
 */
export class GinIndexesWithoutPendingList1763833010000 implements MigrationInterface {
  name = 'GinIndexesWithoutPendingList1763833010000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of ['stanna.deals_companies', 'stanna.activities_companies', 'stanna.activities_contacts']) {
      await q.query(`ALTER INDEX ${index} SET (fastupdate = off)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['stanna.deals_companies', 'stanna.activities_companies', 'stanna.activities_contacts']) {
      await q.query(`ALTER INDEX ${index} RESET (fastupdate)`);
    }
  }
}
