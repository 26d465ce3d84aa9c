import { Injectable } from '@nestjs/common';
import { ENGAGEMENT_OBJECT_TYPES } from '@hubsync/contracts';
import { ActivityType, isActivityType, SkipReason } from '@hubsync/domain';
import { ExanteMapper } from '../exante/exante.mapper';
import { MirrorRow } from '../mirror/mirror-objects.repository';
import { AssociationChange } from '../mirror/mirror-associations.repository';
import { StannaActivitiesMapper } from '../stanna/stanna-activities.mapper';
import { StannaClientsMapper } from '../stanna/stanna-clients.mapper';
import { StannaDealsMapper } from '../stanna/stanna-deals.mapper';
import { StannaHealthMapper } from '../stanna/stanna-health.mapper';
import { StannaStakeholdersMapper } from '../stanna/stanna-stakeholders.mapper';
import { uniqueIds } from './association-lookup';
import { MappingRun } from './mapping-run';

export interface ModelOutcome {
  /** Records of the pass's own object type that failed validation. */
  skips: Map<string, SkipReason>;
  /** Mapped fields whose value could not be used, per record. */
  invalidFields: Map<string, string[]>;
}

/** Object types the product models read; anything else only lives in the mirror and its views. */
export const MODELLED_OBJECT_TYPES = ['companies', 'contacts', 'deals', 'line_items', ...ENGAGEMENT_OBJECT_TYPES];

/**
 * Maps mirror rows into the Stanna and Exante models and follows the dependencies between entities:
 * a deal moves its clients' MRR and health, an activity its clients' health and its contacts'
 * engagement, an association change re-maps both ends. Every step is a set-based pass, so a batch
 * costs a fixed number of statements whatever its size.
 */
@Injectable()
export class ModelMapperService {
  constructor(
    private readonly clients: StannaClientsMapper,
    private readonly stakeholders: StannaStakeholdersMapper,
    private readonly deals: StannaDealsMapper,
    private readonly activities: StannaActivitiesMapper,
    private readonly health: StannaHealthMapper,
    private readonly exante: ExanteMapper,
  ) {}

  async mapObjects(run: MappingRun, objectType: string, rows: MirrorRow[]): Promise<ModelOutcome> {
    const ids = rows.map((r) => r.id);
    const none: ModelOutcome = { skips: new Map(), invalidFields: new Map() };
    if (rows.length === 0) return none;
    switch (objectType) {
      case 'companies': {
        const r = await this.clients.refresh(run, ids, rows);
        await this.health.refresh(run, ids);
        await this.exante.refreshParties(run, ids, rows);
        return r;
      }
      case 'contacts': {
        const r = await this.stakeholders.refresh(run, ids, rows);
        await this.exante.refreshContacts(run, ids, rows);
        return r;
      }
      case 'deals': {
        const r = await this.deals.refresh(run, ids, rows);
        await this.afterDeals(run, r.affectedCompanies);
        await this.exante.refreshDocuments(run, ids, rows);
        return r;
      }
      case 'line_items': {
        await this.remapDeals(run, await this.deals.dealsOfLineItems(run, ids));
        return none;
      }
      default:
        if (isActivityType(objectType)) return this.mapActivities(run, objectType, ids, rows);
        return none;
    }
  }

  /** Re-maps what an association change touches, on both ends. */
  async mapAssociationChanges(run: MappingRun, fromType: string, toType: string, changes: AssociationChange[]): Promise<void> {
    if (changes.length === 0) return;
    const side = (type: string) => uniqueIds(changes.flatMap((c) => [fromType === type ? c.from_id : null, toType === type ? c.to_id : null]));
    const pair = new Set([fromType, toType]);
    const has = (a: string, b: string) => pair.has(a) && pair.has(b);

    if (has('contacts', 'companies')) {
      await this.stakeholders.refresh(run, side('contacts'));
      await this.exante.refreshContacts(run, side('contacts'));
    }
    if (has('deals', 'companies')) {
      const r = await this.deals.refresh(run, side('deals'));
      await this.afterDeals(run, uniqueIds([...r.affectedCompanies, ...side('companies')]));
      await this.exante.refreshParties(run, side('companies'));
    }
    if (has('deals', 'line_items')) await this.remapDeals(run, side('deals'));
    for (const type of ENGAGEMENT_OBJECT_TYPES) {
      if (pair.has(type) && (pair.has('companies') || pair.has('contacts') || pair.has('deals'))) {
        await this.mapActivities(run, type as ActivityType, side(type));
      }
    }
  }

  /** Everything derived from deals, for these deals (line item changes, deal↔line item associations, pipelines). */
  async remapDeals(run: MappingRun, dealIds: string[]): Promise<void> {
    if (dealIds.length === 0) return;
    const r = await this.deals.refresh(run, dealIds);
    await this.afterDeals(run, r.affectedCompanies);
    await this.exante.refreshDocuments(run, dealIds);
  }

  private async afterDeals(run: MappingRun, companies: string[]): Promise<void> {
    if (companies.length === 0) return;
    // Client MRR may come from deals; a skip found here belongs to a company outside this batch.
    const r = await this.clients.refresh(run, companies);
    for (const [id, skip] of r.skips) run.cascadeSkips.push({ objectType: 'companies', objectId: id, skip });
    await this.health.refresh(run, companies);
  }

  private async mapActivities(run: MappingRun, type: ActivityType, ids: string[], rows?: MirrorRow[]): Promise<ModelOutcome> {
    const r = await this.activities.refresh(run, type, ids, rows);
    await this.health.refresh(run, r.affectedCompanies);
    await this.stakeholders.refreshEngagement(run, r.affectedContacts);
    return { skips: new Map(), invalidFields: r.invalidFields };
  }
}
