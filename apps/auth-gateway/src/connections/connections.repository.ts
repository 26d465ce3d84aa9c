import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../database/query-rows';
import { AuthType, ConnectionRow } from './connection.types';

export interface ConnectionUpsert {
  organizationUid: string;
  userUid: string;
  portalId: string;
  authType: AuthType;
  scopes: string[];
  requiredScopes: string[];
  missingScopes: string[];
  objectTypes: string[];
  label: string | null;
  hubDomain: string | null;
  appId: string | null;
}

const COLUMNS = `id, organization_uid, created_by_user_uid, integration_id, portal_id, auth_type, status, scopes,
  required_scopes, missing_scopes, object_types, last_error, label, hub_domain, app_id, connected_at,
  disconnected_at, created_at, updated_at`;

/** integration.connections. Every query is scoped by id or by organization_uid (DESIGN §6). */
@Injectable()
export class ConnectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One connection per (organization, portal): reconnecting the same portal updates it, makes it
   * active again and clears the last error (issue 4 item 1).
   */
  async upsert(manager: EntityManager, c: ConnectionUpsert): Promise<ConnectionRow> {
    const rows: ConnectionRow[] = await manager.query(
      `INSERT INTO integration.connections AS c
         (organization_uid, created_by_user_uid, portal_id, auth_type, status, scopes, required_scopes, missing_scopes,
          object_types, last_error, label, hub_domain, app_id, connected_at)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, NULL, $9, $10, $11, now())
       ON CONFLICT (organization_uid, portal_id) DO UPDATE SET
         auth_type = EXCLUDED.auth_type, status = 'active', scopes = EXCLUDED.scopes,
         required_scopes = EXCLUDED.required_scopes, missing_scopes = EXCLUDED.missing_scopes,
         object_types = EXCLUDED.object_types, last_error = NULL, label = COALESCE(EXCLUDED.label, c.label),
         hub_domain = EXCLUDED.hub_domain, app_id = EXCLUDED.app_id, connected_at = now(),
         disconnected_at = NULL, updated_at = now()
       RETURNING ${COLUMNS}`,
      [c.organizationUid, c.userUid, c.portalId, c.authType, c.scopes, c.requiredScopes, c.missingScopes, c.objectTypes, c.label, c.hubDomain, c.appId],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ConnectionRow | null> {
    if (!isUuid(id)) return null;
    const rows: ConnectionRow[] = await manager.query(`SELECT ${COLUMNS} FROM integration.connections WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findForOrganizations(id: string, organizationUids: string[]): Promise<ConnectionRow | null> {
    if (!isUuid(id) || organizationUids.length === 0) return null;
    const rows: ConnectionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM integration.connections WHERE id = $1 AND organization_uid = ANY($2::uuid[])`,
      [id, organizationUids],
    );
    return rows[0] ?? null;
  }

  async listByOrganization(organizationUid: string, includeDisconnected: boolean): Promise<ConnectionRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM integration.connections
        WHERE organization_uid = $1 AND ($2 OR status <> 'disconnected')
        ORDER BY created_at`,
      [organizationUid, includeDisconnected],
    );
  }

  /** Active → needs_reauth with the reason; a connection already out of `active` keeps its state. */
  async markNeedsReauth(manager: EntityManager, id: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE integration.connections SET status = 'needs_reauth', last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'active'`,
      [id, reason.slice(0, 2000)],
    );
  }

  async recordError(manager: EntityManager, id: string, message: string | null): Promise<void> {
    await manager.query(
      `UPDATE integration.connections SET last_error = $2, updated_at = now() WHERE id = $1 AND last_error IS DISTINCT FROM $2`,
      [id, message === null ? null : message.slice(0, 2000)],
    );
  }

  async markDisconnected(manager: EntityManager, id: string): Promise<ConnectionRow | null> {
    const rows = await queryRows<ConnectionRow>(
      manager,
      `UPDATE integration.connections SET status = 'disconnected', disconnected_at = now(), last_error = NULL, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async updateScopeRequirements(id: string, objectTypes: string[], requiredScopes: string[], missingScopes: string[]): Promise<ConnectionRow | null> {
    const rows = await queryRows<ConnectionRow>(
      this.dataSource,
      `UPDATE integration.connections SET object_types = $2, required_scopes = $3, missing_scopes = $4, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, objectTypes, requiredScopes, missingScopes],
    );
    return rows[0] ?? null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
