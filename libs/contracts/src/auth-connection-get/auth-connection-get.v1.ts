export const AUTH_CONNECTION_GET_V1 = 'auth.connection.get.v1';

export interface AuthConnectionGetRequestV1 {
  connectionId: string;
}

export type ConnectionStatus = 'active' | 'needs_reauth' | 'disconnected';

export interface AuthConnectionStatusV1 {
  connected: boolean;
  connection_id: string;
  portal_id: string | null;
  auth_type: 'oauth' | 'private_app';
  status: ConnectionStatus;
  scopes: string[];
  missing_scopes: string[];
  last_error: string | null;
  connected_at: string | null;
}
