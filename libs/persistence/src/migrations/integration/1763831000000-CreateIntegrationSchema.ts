import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HubSpot connections (owner: auth-gateway, DESIGN §6):
 * - integration.connections: one per (organization, portal); the status data every service reads;
 * - integration.tokens: access/refresh tokens, AES-256-GCM ciphertext only, with the key id per row;
 *   its row lock (`SELECT … FOR UPDATE`) is what makes refreshes single-flight across replicas;
 * - integration.oauth_states: the nonce of each signed OAuth `state`, consumed once;
 * - integration.bridges: Weld-style connection bridges (a one-time browser link to the OAuth flow).
 */
export class CreateIntegrationSchema1763831000000 implements MigrationInterface {
  name = 'CreateIntegrationSchema1763831000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS integration`);
    await q.query(`CREATE TABLE integration.connections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      created_by_user_uid uuid REFERENCES core.users(uid) ON DELETE SET NULL,
      integration_id text NOT NULL DEFAULT 'hubspot-v2',
      portal_id text NOT NULL,
      auth_type text NOT NULL CHECK (auth_type IN ('oauth','private_app')),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','needs_reauth','disconnected')),
      scopes text[] NOT NULL DEFAULT '{}',
      required_scopes text[] NOT NULL DEFAULT '{}',
      missing_scopes text[] NOT NULL DEFAULT '{}',
      object_types text[] NOT NULL DEFAULT '{}',
      last_error text,
      label text,
      hub_domain text,
      app_id text,
      connected_at timestamptz,
      disconnected_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT connections_org_portal UNIQUE (organization_uid, portal_id)
    )`);
    await q.query(`CREATE INDEX connections_portal ON integration.connections (portal_id)`);
    await q.query(`CREATE TABLE integration.tokens (
      connection_id uuid PRIMARY KEY REFERENCES integration.connections(id) ON DELETE CASCADE,
      organization_uid uuid NOT NULL,
      key_id text NOT NULL,
      access_token_ciphertext bytea NOT NULL,
      refresh_token_ciphertext bytea,
      -- null for private-app tokens, which do not expire
      access_token_expires_at timestamptz,
      access_token_lifetime_seconds integer,
      refreshed_at timestamptz,
      refresh_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX tokens_key_id ON integration.tokens (key_id)`);
    await q.query(`CREATE TABLE integration.bridges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      user_uid uuid NOT NULL REFERENCES core.users(uid) ON DELETE CASCADE,
      integration_id text NOT NULL,
      label text,
      redirect_uri text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      connection_id uuid REFERENCES integration.connections(id) ON DELETE SET NULL,
      completed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX bridges_org ON integration.bridges (organization_uid, created_at DESC)`);
    await q.query(`CREATE TABLE integration.oauth_states (
      nonce text PRIMARY KEY,
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      user_uid uuid NOT NULL REFERENCES core.users(uid) ON DELETE CASCADE,
      bridge_id uuid REFERENCES integration.bridges(id) ON DELETE CASCADE,
      return_to text,
      label text,
      object_types text[] NOT NULL DEFAULT '{}',
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX oauth_states_expires ON integration.oauth_states (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA integration CASCADE`);
  }
}
