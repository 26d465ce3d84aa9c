import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OrganizationRow {
  uid: string;
  name: string;
  created_at: Date;
}

export interface UserRow {
  uid: string;
  email: string;
  name: string | null;
  created_at: Date;
}

/** Organizations, users and memberships (core schema): what operators create before issuing keys. */
@Injectable()
export class TenancyService {
  constructor(private readonly dataSource: DataSource) {}

  async createOrganization(name: string): Promise<OrganizationRow> {
    const rows = await this.dataSource.query(`INSERT INTO core.organizations (name) VALUES ($1) RETURNING uid, name, created_at`, [name]);
    return rows[0];
  }

  async createUser(email: string, name?: string): Promise<UserRow> {
    const existing = await this.dataSource.query(`SELECT 1 FROM core.users WHERE lower(email) = lower($1)`, [email]);
    if (existing.length > 0) throw new ConflictException(`A user with email ${email} already exists`);
    const rows = await this.dataSource.query(
      `INSERT INTO core.users (email, name) VALUES ($1, $2) RETURNING uid, email, name, created_at`,
      [email, name ?? null],
    );
    return rows[0];
  }

  async findUser(uidOrEmail: string): Promise<UserRow | null> {
    const byUid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uidOrEmail);
    const rows = await this.dataSource.query(
      `SELECT uid, email, name, created_at FROM core.users WHERE ${byUid ? 'uid = $1::uuid' : 'lower(email) = lower($1)'}`,
      [uidOrEmail],
    );
    return rows[0] ?? null;
  }

  /**
   * Adds (or updates) a membership. The first membership of a user becomes the default; asking for
   * `makeDefault` moves the default in one transaction (the partial unique index allows one).
   */
  async addMembership(organizationUid: string, userUid: string, options: { role?: string; makeDefault?: boolean } = {}): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const org = await manager.query(`SELECT 1 FROM core.organizations WHERE uid = $1`, [organizationUid]);
      if (org.length === 0) throw new NotFoundException(`Organization ${organizationUid} not found`);
      const user = await manager.query(`SELECT 1 FROM core.users WHERE uid = $1 FOR UPDATE`, [userUid]);
      if (user.length === 0) throw new NotFoundException(`User ${userUid} not found`);
      const defaults = await manager.query(`SELECT organization_uid FROM core.memberships WHERE user_uid = $1 AND is_default`, [userUid]);
      const makeDefault = options.makeDefault === true || defaults.length === 0;
      if (makeDefault) await manager.query(`UPDATE core.memberships SET is_default = false WHERE user_uid = $1 AND is_default`, [userUid]);
      await manager.query(
        `INSERT INTO core.memberships (organization_uid, user_uid, role, is_default) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_uid, user_uid) DO UPDATE SET role = EXCLUDED.role, is_default = core.memberships.is_default OR EXCLUDED.is_default`,
        [organizationUid, userUid, options.role ?? 'member', makeDefault],
      );
    });
  }
}
