import { Injectable } from '@nestjs/common';
import { catalogDisplayName, dealInScope, findStage, mapCompanyToParty, mapContactToExanteContact, mapDealToDocument } from '@hubsync/domain';
import { jsonParam } from '../database/json-param';
import { MirrorObjectsRepository, MirrorRow } from '../mirror/mirror-objects.repository';
import { compareIds, linkedIds, uniqueIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';
import { OrgSettingsRepository } from '../models/org-settings.repository';
import { ExanteCatalogRepository } from './exante-catalog.repository';

/**
 * (company, deal) pairs for companies `ids` ($3), live, associated with a live deal in the Exante
 * scope ($2 = the sync's `deal_stages`, null = every stage): the companies an Exante sync reaches.
 * It runs in every batch, mostly while the tables grow faster than autovacuum analyses them: joined
 * to `hubspot.objects`, the planner picked hash joins over the org's whole mirror on stale statistics
 * (~190 ms per 200 companies at 20 k records, 1.3 s per 1,000 — the mapper's largest cost). The
 * object checks are therefore scalar subqueries, which PostgreSQL cannot turn into joins: each is one
 * primary-key probe per pair whatever the statistics say.
 */
const COMPANY_DEAL_PAIRS = `
  SELECT l.company_id, l.deal_id FROM (
    SELECT from_id AS company_id, to_id AS deal_id FROM hubspot.associations
     WHERE organization_uid = $1 AND from_type = 'companies' AND to_type = 'deals' AND from_id = ANY($3::text[])
    UNION
    SELECT to_id, from_id FROM hubspot.associations
     WHERE organization_uid = $1 AND from_type = 'deals' AND to_type = 'companies' AND to_id = ANY($3::text[])) l
   WHERE (SELECT NOT d.archived AND ($2::text[] IS NULL OR d.properties->>'dealstage' = ANY($2::text[]))
            FROM hubspot.objects d WHERE d.organization_uid = $1 AND d.object_type = 'deals' AND d.id = l.deal_id)
     AND (SELECT NOT co.archived FROM hubspot.objects co WHERE co.organization_uid = $1 AND co.object_type = 'companies' AND co.id = l.company_id)`;

/**
 * Exante (seed 000): deals in scope → Documents, the companies associated with them → Parties, those
 * companies' contacts → Contacts, linked as HubSpot associates them. In `catalog_only` mode only
 * ExternalObjectCatalog entries are written. Only deal-reachable companies and contacts are mapped,
 * and reachability is re-evaluated whenever a deal, company, contact or association changes, so the
 * result does not depend on the order batches arrive in.
 */
@Injectable()
export class ExanteMapper {
  constructor(
    private readonly mirror: MirrorObjectsRepository,
    private readonly settings: OrgSettingsRepository,
    private readonly catalog: ExanteCatalogRepository,
  ) {}

  async refreshDocuments(run: MappingRun, dealIds: string[], preloaded?: MirrorRow[]): Promise<void> {
    const scope = run.settings.exante;
    if (!scope || dealIds.length === 0) return;
    const { sql, organizationUid: org } = run;
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'deals', dealIds));
    const live = rows.filter((r) => !r.archived);
    const archived = rows.filter((r) => r.archived).map((r) => r.id);
    const inScope = live.filter((r) => dealInScope(r.properties['dealstage'], scope));

    if (scope.mode === 'full') {
      const existing = await this.existing(run, 'exante.documents', 'deal_id', rows.map((r) => r.id));
      const pipelines = await run.pipelines(() => this.settings.dealPipelines(sql, org));
      const write = live.filter((r) => existing.has(r.id) || dealInScope(r.properties['dealstage'], scope));
      const payload = write.map((r) => {
        const doc = mapDealToDocument(r.id, r.properties, run.settings.mappings);
        return { ...doc, stage_label: findStage(pipelines, doc.pipeline_id, doc.stage_id)?.label ?? null, hubspot_updated_at: r.updated_at };
      });
      await this.upsertEntities(run, 'documents', 'deal_id', payload, archived.filter((id) => existing.has(id)), {
        columns: 'title, amount, currency, pipeline_id, stage_id, stage_label, close_date',
        recordset: 'title text, amount numeric, currency text, pipeline_id text, stage_id text, stage_label text, close_date timestamptz',
      });
    }
    await this.catalog.touch(run, 'deals', inScope.map((r) => ({ external_id: r.id, display_name: catalogDisplayName('deals', r.id, r.properties) })), archived);
    // Companies of these deals may have become (un)reachable, and their Documents ↔ Parties links changed.
    const companies = uniqueIds((await linkedIds(sql, org, 'deals', rows.map((r) => r.id), ['companies'])).map((l) => l.other_id));
    await this.refreshParties(run, companies);
  }

  async refreshParties(run: MappingRun, companyIds: string[], preloaded?: MirrorRow[]): Promise<void> {
    const scope = run.settings.exante;
    if (!scope || companyIds.length === 0) return;
    const { sql, organizationUid: org } = run;
    const pairs = await sql.query<{ company_id: string; deal_id: string }>(COMPANY_DEAL_PAIRS, [org, scope.dealStages, companyIds]);
    const reachable = new Set(pairs.map((p) => p.company_id));
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'companies', companyIds));
    const live = rows.filter((r) => !r.archived);
    const archived = rows.filter((r) => r.archived).map((r) => r.id);
    const reachedLive = live.filter((r) => reachable.has(r.id));

    if (scope.mode === 'full') {
      const existing = await this.existing(run, 'exante.parties', 'company_id', rows.map((r) => r.id));
      const payload = live
        .filter((r) => reachable.has(r.id) || existing.has(r.id))
        .map((r) => ({ ...mapCompanyToParty(r.id, r.properties, run.settings.mappings), hubspot_updated_at: r.updated_at }));
      await this.upsertEntities(run, 'parties', 'company_id', payload, archived.filter((id) => existing.has(id)), {
        columns: 'name, domain, phone, industry, country, city',
        recordset: 'name text, domain text, phone text, industry text, country text, city text',
      });
      await this.replaceLinks(run, 'document_parties', 'company_id', 'deal_id', rows.map((r) => r.id), pairs.map((p) => ({ a: p.company_id, b: p.deal_id })), 'documents', 'parties');
    }
    await this.catalog.touch(run, 'companies', reachedLive.map((r) => ({ external_id: r.id, display_name: catalogDisplayName('companies', r.id, r.properties) })), archived);
    const contacts = uniqueIds((await linkedIds(sql, org, 'companies', reachedLive.map((r) => r.id), ['contacts'])).map((l) => l.other_id));
    await this.refreshContacts(run, contacts);
  }

  async refreshContacts(run: MappingRun, contactIds: string[], preloaded?: MirrorRow[]): Promise<void> {
    const scope = run.settings.exante;
    if (!scope || contactIds.length === 0) return;
    const { sql, organizationUid: org } = run;
    // Two simple steps (see COMPANY_DEAL_PAIRS): the contacts' companies, then which of those are reached.
    const contactCompanies = await linkedIds(sql, org, 'contacts', contactIds, ['companies']);
    const companyIds = uniqueIds(contactCompanies.map((l) => l.other_id));
    const reachedCompanies = companyIds.length
      ? new Set((await sql.query<{ company_id: string }>(COMPANY_DEAL_PAIRS, [org, scope.dealStages, companyIds])).map((p) => p.company_id))
      : new Set<string>();
    const pairs = contactCompanies.filter((l) => reachedCompanies.has(l.other_id)).map((l) => ({ contact_id: l.id, company_id: l.other_id }));
    const reachable = new Set(pairs.map((p) => p.contact_id));
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'contacts', contactIds));
    const live = rows.filter((r) => !r.archived);
    const archived = rows.filter((r) => r.archived).map((r) => r.id);

    if (scope.mode === 'full') {
      const existing = await this.existing(run, 'exante.contacts', 'contact_id', rows.map((r) => r.id));
      const payload = live
        .filter((r) => reachable.has(r.id) || existing.has(r.id))
        .map((r) => ({ ...mapContactToExanteContact(r.id, r.properties, run.settings.mappings), hubspot_updated_at: r.updated_at }));
      await this.upsertEntities(run, 'contacts', 'contact_id', payload, archived.filter((id) => existing.has(id)), {
        columns: 'email, first_name, last_name, phone, job_title',
        recordset: 'email text, first_name text, last_name text, phone text, job_title text',
      });
      await this.replaceLinks(run, 'party_contacts', 'contact_id', 'company_id', rows.map((r) => r.id), pairs.map((p) => ({ a: p.contact_id, b: p.company_id })), 'parties', 'contacts');
    }
    await this.catalog.touch(
      run,
      'contacts',
      live.filter((r) => reachable.has(r.id)).map((r) => ({ external_id: r.id, display_name: catalogDisplayName('contacts', r.id, r.properties) })),
      archived,
    );
  }

  private async existing(run: MappingRun, table: string, key: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await run.sql.query<{ id: string }>(`SELECT ${key} AS id FROM ${table} WHERE organization_uid = $1 AND ${key} = ANY($2::text[])`, [run.organizationUid, ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Upserts Documents/Parties/Contacts and flags archived ones (Exante keeps them; HubSpot deleted the source). */
  private async upsertEntities(
    run: MappingRun,
    table: 'documents' | 'parties' | 'contacts',
    key: string,
    payload: Record<string, unknown>[],
    archivedIds: string[],
    shape: { columns: string; recordset: string },
  ): Promise<void> {
    if (payload.length === 0 && archivedIds.length === 0) return;
    const cols = shape.columns.split(',').map((c) => c.trim());
    payload.sort((a, b) => compareIds(String(a[key]), String(b[key])));
    await run.sql.query(
      `WITH gone AS (
         UPDATE exante.${table} SET archived = true, updated_at = now() WHERE organization_uid = $1 AND ${key} = ANY($4::text[])
       )
       INSERT INTO exante.${table} AS t (organization_uid, ${key}, portal_id, ${shape.columns}, custom_fields, archived, last_run_id, hubspot_updated_at, created_at, updated_at)
       SELECT $1, x.${key}, $2, ${cols.map((c) => `x.${c}`).join(', ')}, x.custom_fields, false, $3::uuid, x.hubspot_updated_at, now(), now()
         FROM jsonb_to_recordset($5::jsonb) AS x(${key} text, ${shape.recordset}, custom_fields jsonb, hubspot_updated_at timestamptz)
       ON CONFLICT (organization_uid, ${key}) DO UPDATE SET
         portal_id = excluded.portal_id, ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, custom_fields = excluded.custom_fields,
         archived = false, last_run_id = COALESCE(excluded.last_run_id, t.last_run_id), hubspot_updated_at = excluded.hubspot_updated_at, updated_at = now()`,
      [run.organizationUid, run.portalId, run.runId, archivedIds, jsonParam(payload)],
    );
  }

  /**
   * Replaces the links of `ownerIds` (column `ownerKey`) with `pairs`, keeping only links whose both
   * ends exist as Exante entities.
   */
  private async replaceLinks(
    run: MappingRun,
    table: 'document_parties' | 'party_contacts',
    ownerKey: string,
    otherKey: string,
    ownerIds: string[],
    pairs: { a: string; b: string }[],
    otherTable: 'documents' | 'parties',
    ownerTable: 'parties' | 'contacts',
  ): Promise<void> {
    if (ownerIds.length === 0) return;
    await run.sql.query(
      `WITH input AS (
         SELECT DISTINCT x.a, x.b FROM jsonb_to_recordset($3::jsonb) AS x(a text, b text)
       ), gone AS (
         DELETE FROM exante.${table} t WHERE t.organization_uid = $1 AND t.${ownerKey} = ANY($2::text[])
            AND NOT EXISTS (SELECT 1 FROM input i WHERE i.a = t.${ownerKey} AND i.b = t.${otherKey})
       )
       INSERT INTO exante.${table} (organization_uid, ${ownerKey}, ${otherKey})
       SELECT $1, i.a, i.b FROM input i
        WHERE EXISTS (SELECT 1 FROM exante.${otherTable} o WHERE o.organization_uid = $1 AND o.${otherKey} = i.b)
          AND EXISTS (SELECT 1 FROM exante.${ownerTable} w WHERE w.organization_uid = $1 AND w.${ownerKey} = i.a)
        ORDER BY i.a, i.b
       ON CONFLICT DO NOTHING`,
      [run.organizationUid, ownerIds, jsonParam(pairs)],
    );
  }
}
