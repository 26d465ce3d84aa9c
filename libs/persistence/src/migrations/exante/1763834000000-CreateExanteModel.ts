import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exante's model (seed 000, issue 6 §4): Documents ← deals, Parties ← the companies associated with
 * those deals, Contacts ← those companies' contacts, linked as HubSpot associates them; and the
 * ExternalObjectCatalog, the only thing a `catalog_only` sync writes.
 */
export class CreateExanteModel1763834000000 implements MigrationInterface {
  name = 'CreateExanteModel1763834000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS exante`);
    await q.query(`CREATE TABLE exante.documents (
      organization_uid uuid NOT NULL,
      deal_id text NOT NULL,
      portal_id text NOT NULL,
      title text,
      amount numeric,
      currency text,
      pipeline_id text,
      stage_id text,
      stage_label text,
      close_date timestamptz,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      archived boolean NOT NULL DEFAULT false,
      last_run_id uuid,
      hubspot_updated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, deal_id)
    )`);
    await q.query(`CREATE TABLE exante.parties (
      organization_uid uuid NOT NULL,
      company_id text NOT NULL,
      portal_id text NOT NULL,
      name text,
      domain text,
      phone text,
      industry text,
      country text,
      city text,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      archived boolean NOT NULL DEFAULT false,
      last_run_id uuid,
      hubspot_updated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, company_id)
    )`);
    await q.query(`CREATE TABLE exante.contacts (
      organization_uid uuid NOT NULL,
      contact_id text NOT NULL,
      portal_id text NOT NULL,
      email text,
      first_name text,
      last_name text,
      phone text,
      job_title text,
      custom_fields jsonb NOT NULL DEFAULT '{}',
      archived boolean NOT NULL DEFAULT false,
      last_run_id uuid,
      hubspot_updated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, contact_id)
    )`);
    await q.query(`CREATE TABLE exante.document_parties (
      organization_uid uuid NOT NULL,
      deal_id text NOT NULL,
      company_id text NOT NULL,
      PRIMARY KEY (organization_uid, deal_id, company_id)
    )`);
    await q.query(`CREATE INDEX document_parties_company ON exante.document_parties (organization_uid, company_id)`);
    await q.query(`CREATE TABLE exante.party_contacts (
      organization_uid uuid NOT NULL,
      company_id text NOT NULL,
      contact_id text NOT NULL,
      PRIMARY KEY (organization_uid, company_id, contact_id)
    )`);
    await q.query(`CREATE INDEX party_contacts_contact ON exante.party_contacts (organization_uid, contact_id)`);
    await q.query(`CREATE TABLE exante.external_object_catalog (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL CHECK (object_type IN ('deals','companies','contacts')),
      external_id text NOT NULL,
      display_name text NOT NULL,
      portal_id text NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      last_run_id uuid,
      PRIMARY KEY (organization_uid, object_type, external_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA exante CASCADE`);
  }
}
