import { Injectable, Logger } from '@nestjs/common';
import { HubspotOwnersV1, HubspotPipelinesV1, HubspotSchemaV1 } from '@hubsync/contracts';
import { MapperDatabase } from '../database/mapper-database';
import { MirrorMetadataRepository } from '../mirror/mirror-metadata.repository';
import { RemapRequestsRepository } from '../remap/remap-requests.repository';
import { TypedViewsService } from '../typed-views/typed-views.service';

/**
 * Schema introspection, pipelines and owners: stored in the mirror; a changed schema regenerates the
 * object's typed views, changed deal pipelines re-map deals (labels, probabilities, renewal kinds),
 * changed owners update the clients' CSM names.
 */
@Injectable()
export class ReferenceDataService {
  private readonly logger = new Logger(ReferenceDataService.name);

  constructor(
    private readonly db: MapperDatabase,
    private readonly metadata: MirrorMetadataRepository,
    private readonly views: TypedViewsService,
    private readonly remaps: RemapRequestsRepository,
  ) {}

  async handleSchema(schema: HubspotSchemaV1): Promise<{ viewsRegenerated: boolean }> {
    const changed = await this.db.transaction((sql) => this.metadata.saveSchema(sql, schema));
    if (!changed) return { viewsRegenerated: false };
    try {
      await this.views.regenerateObject(schema.organizationUid, schema.objectType);
      return { viewsRegenerated: true };
    } catch (error) {
      // The metadata is stored; a view that cannot be rebuilt (e.g. a user's view depends on it) must not
      // block the sync. A `views` remap request retries it.
      this.logger.error(`typed views of ${schema.objectType} for ${schema.organizationUid} not regenerated: ${(error as Error).message}`);
      await this.remaps.request(this.db, schema.organizationUid, 'views', `regeneration failed: ${(error as Error).message}`);
      return { viewsRegenerated: false };
    }
  }

  async handlePipelines(pipelines: HubspotPipelinesV1): Promise<'older' | 'unchanged' | 'changed'> {
    return this.db.transaction(async (sql) => {
      const outcome = await this.metadata.savePipelines(sql, pipelines);
      if (outcome === 'changed' && pipelines.objectType === 'deals') {
        const [mapped] = await sql.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM stanna.deals WHERE organization_uid = $1) AS any`, [pipelines.organizationUid]);
        // Deals mapped before this change carry the old labels/probabilities: re-map them.
        if (mapped.any) await this.remaps.request(sql, pipelines.organizationUid, 'stanna.deal', 'deal pipelines changed');
      }
      return outcome;
    });
  }

  async handleOwners(owners: HubspotOwnersV1): Promise<number> {
    return this.db.transaction(async (sql) => {
      const changed = await this.metadata.saveOwners(sql, owners);
      if (changed.length) {
        await sql.query(
          `UPDATE stanna.clients c SET csm_owner_name = NULLIF(btrim(concat_ws(' ', o.first_name, o.last_name)), ''), csm_owner_email = o.email
             FROM hubspot.owners o
            WHERE c.organization_uid = $1 AND o.organization_uid = $1 AND o.id = c.csm_owner_id AND o.id = ANY($2::text[])`,
          [owners.organizationUid, changed],
        );
      }
      return changed.length;
    });
  }
}
