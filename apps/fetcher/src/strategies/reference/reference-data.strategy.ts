import { HubspotOwnerV1, HubspotSchemaV1 } from '@hubsync/contracts';
import { isProviderError, paginate } from '@hubsync/hubspot';
import { FetchContext, throwIfStopped } from '../../fetch/fetch-context';
import { splitByCountAndBytes } from '../../output/batch-splitter';

export const schemaKey = (objectType: string) => `schema:${objectType}`;

export interface IntrospectionResult {
  /** Types introspected, with properties that were not there at the previous introspection. */
  newProperties: Record<string, string[]>;
  /** Types the connection may not read, with the missing scope(s). */
  forbidden: Record<string, string>;
}

/**
 * Reference data without cursors: schemas (`/crm/v3/schemas` for custom objects — core types are
 * not listed there — and `/crm/v3/properties/{type}` for every type), pipelines of deals and
 * tickets (no schema endpoint), owners.
 */
export class ReferenceDataStrategy {
  /**
   * Publishes each object type's properties. Types the token's scopes do not allow are reported
   * and skipped; the others go on. Properties new since the last introspection are returned, so the
   * caller can backfill their streams.
   */
  async introspect(ctx: FetchContext, objectTypes: string[] | null): Promise<IntrospectionResult> {
    const { session } = ctx;
    session.schema.forget();
    const types = objectTypes && objectTypes.length ? objectTypes : await session.schema.allTypes();
    const customs = await session.schema.customSchemas().catch(() => []);
    const result: IntrospectionResult = { newProperties: {}, forbidden: {} };
    for (const type of types) {
      throwIfStopped(ctx);
      let info;
      let definitions;
      try {
        info = await session.schema.info(type);
        definitions = await session.schema.definitions(info.name);
      } catch (error) {
        if (isProviderError(error) && error.kind === 'forbidden_scope') {
          result.forbidden[type] = error.details.requiredScopes?.join(' or ') || error.message;
          continue;
        }
        throw error;
      }
      const custom = customs.find((c) => c.objectTypeId === info.name);
      const schema: HubspotSchemaV1 = {
        organizationUid: session.organizationUid,
        connectionId: session.connectionId,
        portalId: session.portalId,
        objectType: info.name,
        objectTypeId: info.name,
        ...(custom ? { fullyQualifiedName: custom.fullyQualifiedName } : {}),
        isCustom: info.isCustom,
        properties: definitions,
        introspectedAt: new Date().toISOString(),
      };
      await ctx.output.publishSchema(schema);
      const key = { organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, streamKey: schemaKey(info.name) };
      const previous = await ctx.store.load<{ properties: string[] }>(session.connectionId, key.streamKey);
      const names = definitions.filter((d) => !d.archived).map((d) => d.name).sort();
      if (previous) {
        const known = new Set(previous.properties);
        const added = names.filter((n) => !known.has(n));
        if (added.length) result.newProperties[info.name] = added;
      }
      await ctx.store.commit(key, { properties: names }, ctx.fence());
    }
    return result;
  }

  async pipelines(ctx: FetchContext, objectTypes: ('deals' | 'tickets')[] = ['deals', 'tickets']): Promise<Record<string, string>> {
    const { session } = ctx;
    const forbidden: Record<string, string> = {};
    for (const objectType of objectTypes) {
      throwIfStopped(ctx);
      try {
        const pipelines = await session.client.pipelines(objectType, { signal: ctx.signal });
        await ctx.output.publishPipelines({
          organizationUid: session.organizationUid,
          connectionId: session.connectionId,
          portalId: session.portalId,
          objectType,
          pipelines,
          fetchedAt: new Date().toISOString(),
        });
      } catch (error) {
        if (isProviderError(error) && error.kind === 'forbidden_scope') forbidden[objectType] = error.details.requiredScopes?.join(' or ') || error.message;
        else throw error;
      }
    }
    return forbidden;
  }

  async owners(ctx: FetchContext): Promise<number> {
    const { session } = ctx;
    const owners: HubspotOwnerV1[] = [];
    for (const archived of [false, true]) {
      const pages = paginate(async (after) => {
        throwIfStopped(ctx);
        const page = await session.client.ownersPage(after, archived, { signal: ctx.signal });
        return { items: page.owners, nextAfter: page.nextAfter };
      });
      for await (const items of pages) owners.push(...items);
    }
    const fetchedAt = new Date().toISOString();
    // Several messages when the list is long (JetStream max_payload); each is a plain upsert.
    for (const chunk of splitByCountAndBytes(owners, 1000, ctx.settings.batchMaxBytes)) {
      await ctx.output.publishOwners({ organizationUid: session.organizationUid, connectionId: session.connectionId, portalId: session.portalId, owners: chunk, fetchedAt });
    }
    return owners.length;
  }
}
