import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenancy: organizations, users, memberships (one default org per user), API keys (hashed). */
export class CreateCoreSchema1763830000000 implements MigrationInterface {
  name = 'CreateCoreSchema1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS core`);
    await q.query(`CREATE TABLE core.organizations (
      uid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE core.users (
      uid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE,
      name text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE core.memberships (
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      user_uid uuid NOT NULL REFERENCES core.users(uid) ON DELETE CASCADE,
      role text NOT NULL DEFAULT 'member',
      is_default boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, user_uid)
    )`);
    // At most one default organization per user.
    await q.query(`CREATE UNIQUE INDEX memberships_one_default ON core.memberships (user_uid) WHERE is_default`);
    await q.query(`CREATE TABLE core.api_keys (
      uid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      user_uid uuid NOT NULL REFERENCES core.users(uid) ON DELETE CASCADE,
      name text,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX api_keys_org ON core.api_keys (organization_uid)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA core CASCADE`);
  }
}
