import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every authenticated request resolves the caller's organizations by user (OrganizationResolver);
 * the primary key leads with organization_uid, so without this index that lookup scans memberships.
 */
export class MembershipsByUser1763830040000 implements MigrationInterface {
  name = 'MembershipsByUser1763830040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS memberships_user ON core.memberships (user_uid)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS core.memberships_user`);
  }
}
