import { AuthConnectionStatusV1, ConnectionStatus } from '@hubsync/contracts';

export type AuthType = 'oauth' | 'private_app';

export const SUPPORTED_INTEGRATION_ID = 'hubspot-v2';

/** A row of integration.connections as pg returns it. */
export interface ConnectionRow {
  id: string;
  organization_uid: string;
  created_by_user_uid: string | null;
  integration_id: string;
  portal_id: string;
  auth_type: AuthType;
  status: ConnectionStatus;
  scopes: string[];
  required_scopes: string[];
  missing_scopes: string[];
  object_types: string[];
  last_error: string | null;
  label: string | null;
  hub_domain: string | null;
  app_id: string | null;
  connected_at: Date | null;
  disconnected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The status data of issue 4 item 8 (also the `auth.connection.get.v1` reply). */
export function toStatusView(row: ConnectionRow): AuthConnectionStatusV1 {
  return {
    connected: row.status === 'active',
    connection_id: row.id,
    portal_id: row.portal_id,
    auth_type: row.auth_type,
    status: row.status,
    scopes: row.scopes,
    missing_scopes: row.missing_scopes,
    last_error: row.last_error,
    connected_at: row.connected_at ? row.connected_at.toISOString() : null,
  };
}

/** What the REST connection endpoints answer: the status data plus the connection's own fields. */
export interface ConnectionView extends AuthConnectionStatusV1 {
  id: string;
  integration_id: string;
  organization_uid: string;
  label: string | null;
  hub_domain: string | null;
  required_scopes: string[];
  object_types: string[];
  disconnected_at: string | null;
  created_at: string;
  updated_at: string;
}

export function toConnectionView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    integration_id: row.integration_id,
    organization_uid: row.organization_uid,
    label: row.label,
    hub_domain: row.hub_domain,
    ...toStatusView(row),
    required_scopes: row.required_scopes,
    object_types: row.object_types,
    disconnected_at: row.disconnected_at ? row.disconnected_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
