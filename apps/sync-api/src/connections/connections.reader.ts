import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthConnectionStatusV1 } from '@hubsync/contracts';

/** A row of `integration.connections` (owner: auth-gateway), as sync-api reads it. */
export interface ConnectionRow {
  id: string;
  organization_uid: string;
  integration_id: string;
  portal_id: string;
  auth_type: 'oauth' | 'private_app';
  status: 'active' | 'needs_reauth' | 'disconnected';
  scopes: string[];
  missing_scopes: string[];
  object_types: string[];
  last_error: string | null;
  label: string | null;
  app_id: string | null;
  connected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, organization_uid, integration_id, portal_id, auth_type, status, scopes, missing_scopes, object_types,
  last_error, label, app_id, connected_at, created_at, updated_at`;

/** Reads connection status data straight from PostgreSQL (DESIGN §5: sync-api reads status from Postgres). */
@Injectable()
export class ConnectionsReader {
  constructor(private readonly dataSource: DataSource) {}

  async listForOrganization(organizationUid: string): Promise<ConnectionRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM integration.connections WHERE organization_uid = $1
        ORDER BY (status = 'active') DESC, connected_at DESC NULLS LAST, created_at DESC`,
      [organizationUid],
    );
  }

  /** The connection an org-level request acts on: the most recently connected usable one. */
  async primary(organizationUid: string): Promise<ConnectionRow | null> {
    const rows = await this.listForOrganization(organizationUid);
    return rows.find((r) => r.status !== 'disconnected') ?? null;
  }

  /** A connection by id inside the given organizations (another tenant's id reads as not found). */
  async findInOrganizations(connectionId: string, organizationUids: string[]): Promise<ConnectionRow | null> {
    if (organizationUids.length === 0) return null;
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM integration.connections WHERE id = $1 AND organization_uid = ANY($2::uuid[])`,
      [connectionId, organizationUids],
    );
    return rows[0] ?? null;
  }

  /** Connections of a HubSpot portal across organizations (webhooks carry only the portal id). */
  async forPortal(portalId: string): Promise<ConnectionRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM integration.connections WHERE portal_id = $1 AND status <> 'disconnected'`, [portalId]);
  }
}

/** The status data auth-gateway defines (contracts `auth.connection.get.v1`), from a row. */
export function connectionStatusData(row: ConnectionRow): AuthConnectionStatusV1 {
  return {
    connected: row.status === 'active',
    connection_id: row.id,
    portal_id: row.portal_id,
    auth_type: row.auth_type,
    status: row.status,
    scopes: row.scopes ?? [],
    missing_scopes: row.missing_scopes ?? [],
    last_error: row.last_error,
    connected_at: row.connected_at ? new Date(row.connected_at).toISOString() : null,
  };
}
