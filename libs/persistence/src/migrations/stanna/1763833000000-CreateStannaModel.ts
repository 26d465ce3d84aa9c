import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stanna's model (seed 002, issue 6 §3): clients ← companies, stakeholders ← contacts, deals,
 * activities ← engagements, health scores with their components; per-org settings overriding the
 * seed-002 defaults and the lifecycle stage → client status mapping table.
 */
export class CreateStannaModel1763833000000 implements MigrationInterface {
  name = 'CreateStannaModel1763833000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS stanna`);
    await q.query(`CREATE TABLE stanna.settings (
      organization_uid uuid PRIMARY KEY,
      config jsonb NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE stanna.client_status_map (
      organization_uid uuid NOT NULL,
      lifecycle_stage text NOT NULL,
      client_status text NOT NULL,
      PRIMARY KEY (organization_uid, lifecycle_stage)
    )`);
    await q.query(`CREATE TABLE stanna.clients (
      organization_uid uuid NOT NULL,
      company_id text NOT NULL,
      portal_id text NOT NULL,
      name text,
      domain text NOT NULL,
      mrr numeric(18,2),
      mrr_source text,
      currency text NOT NULL,
      renewal_date date,
      csm_owner_id text,
      csm_owner_name text,
      csm_owner_email text,
      lifecycle_stage text,
      status text NOT NULL,
      tags text[] NOT NULL DEFAULT '{}',
      custom_fields jsonb NOT NULL DEFAULT '{}',
      hubspot_created_at timestamptz,
      hubspot_updated_at timestamptz,
      mapped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, company_id)
    )`);
    // Duplicate detection (seed 002): one client per domain.
    await q.query(`CREATE UNIQUE INDEX clients_one_per_domain ON stanna.clients (organization_uid, domain)`);
    await q.query(`CREATE INDEX clients_owner ON stanna.clients (organization_uid, csm_owner_id)`);
    await q.query(`CREATE INDEX clients_name ON stanna.clients (organization_uid, lower(name))`);

    await q.query(`CREATE TABLE stanna.stakeholders (
      organization_uid uuid NOT NULL,
      contact_id text NOT NULL,
      portal_id text NOT NULL,
      email text,
      name text,
      title text,
      company_name text,
      client_company_id text,
      client_source text CHECK (client_source IN ('association','company_property')),
      activities_30d integer NOT NULL DEFAULT 0,
      activities_90d integer NOT NULL DEFAULT 0,
      email_opens integer NOT NULL DEFAULT 0,
      email_clicks integer NOT NULL DEFAULT 0,
      email_replies integer NOT NULL DEFAULT 0,
      engagement_score numeric NOT NULL DEFAULT 0,
      engagement_level text NOT NULL DEFAULT 'none',
      custom_fields jsonb NOT NULL DEFAULT '{}',
      hubspot_updated_at timestamptz,
      mapped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, contact_id)
    )`);
    await q.query(`CREATE INDEX stakeholders_client ON stanna.stakeholders (organization_uid, client_company_id)`);
    await q.query(`CREATE INDEX stakeholders_unlinked_company ON stanna.stakeholders (organization_uid, lower(company_name)) WHERE client_company_id IS NULL`);

    await q.query(`CREATE TABLE stanna.deals (
      organization_uid uuid NOT NULL,
      deal_id text NOT NULL,
      portal_id text NOT NULL,
      name text,
      pipeline_id text,
      pipeline_label text,
      stage_id text,
      stage_label text,
      close_date timestamptz,
      amount numeric,
      currency text,
      amount_org numeric,
      probability numeric,
      mrr_contribution numeric,
      deal_kind text NOT NULL,
      is_closed boolean NOT NULL DEFAULT false,
      is_won boolean NOT NULL DEFAULT false,
      is_lost boolean NOT NULL DEFAULT false,
      renewal_probability numeric,
      stage_history jsonb,
      stage_regressions integer NOT NULL DEFAULT 0,
      churn_risk text NOT NULL,
      churn_reasons text[] NOT NULL DEFAULT '{}',
      health_indicator numeric,
      company_ids text[] NOT NULL DEFAULT '{}',
      client_company_id text,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      hubspot_updated_at timestamptz,
      mapped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, deal_id)
    )`);
    await q.query(`CREATE INDEX deals_companies ON stanna.deals USING gin (company_ids)`);

    await q.query(`CREATE TABLE stanna.activities (
      organization_uid uuid NOT NULL,
      activity_type text NOT NULL,
      activity_id text NOT NULL,
      portal_id text NOT NULL,
      occurred_at timestamptz,
      direction text,
      outcome text,
      status text,
      subject text,
      body text,
      sentiment_score numeric,
      sentiment_comparative numeric,
      email_opens integer NOT NULL DEFAULT 0,
      email_clicks integer NOT NULL DEFAULT 0,
      email_replies integer NOT NULL DEFAULT 0,
      company_ids text[] NOT NULL DEFAULT '{}',
      contact_ids text[] NOT NULL DEFAULT '{}',
      deal_ids text[] NOT NULL DEFAULT '{}',
      client_company_id text,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      hubspot_updated_at timestamptz,
      mapped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, activity_type, activity_id)
    )`);
    await q.query(`CREATE INDEX activities_companies ON stanna.activities USING gin (company_ids)`);
    await q.query(`CREATE INDEX activities_contacts ON stanna.activities USING gin (contact_ids)`);

    await q.query(`CREATE TABLE stanna.health_scores (
      organization_uid uuid NOT NULL,
      company_id text NOT NULL,
      score numeric,
      components jsonb NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, company_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA stanna CASCADE`);
  }
}
