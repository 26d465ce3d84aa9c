import { HubspotPropertyDefinitionV1, isCustomObjectType, STANDARD_OBJECT_TYPES, standardObjectType } from '@hubsync/contracts';
import { CustomObjectSchema, HubspotPortalClient, PropertyInfo } from '@hubsync/hubspot';

export interface ObjectTypeInfo {
  /** The name used in API paths and in published messages (`contacts`, or `2-…` for custom objects). */
  name: string;
  isCustom: boolean;
  fullyQualifiedName?: string;
  createDateProperty: string;
  lastModifiedProperty: string;
  /** `archived=true` listing exists (standard objects; not custom ones — HUBSPOT-FACTS "Objects"). */
  hasArchivedListing: boolean;
  isEngagement: boolean;
}

const PROPERTY_TTL_MS = 10 * 60_000;

/**
 * What the fetcher knows about a connection's object types: standard ones from libs/contracts,
 * custom ones from `/crm/v3/schemas`, and every type's properties (cached for ten minutes, so a
 * property created later is picked up by the next introspection).
 */
export class SchemaCatalog {
  private customs: Promise<CustomObjectSchema[]> | null = null;
  private readonly properties = new Map<string, { at: number; value: Promise<HubspotPropertyDefinitionV1[]> }>();

  constructor(private readonly client: HubspotPortalClient) {}

  async customSchemas(): Promise<CustomObjectSchema[]> {
    this.customs ??= this.client.customSchemas().catch((error) => {
      this.customs = null;
      throw error;
    });
    return this.customs;
  }

  /** Resolves a type name (standard name, `2-…` id or `p<portal>_name`) to its facts. */
  async info(objectType: string): Promise<ObjectTypeInfo> {
    const standard = standardObjectType(objectType);
    if (standard) {
      const props = await this.propertyNames(standard.name).catch(() => null);
      // Property names differ by source for some types (createdate vs hs_createdate); trust the portal.
      const pick = (preferred: string, alternative: string) => (props && !props.has(preferred) && props.has(alternative) ? alternative : preferred);
      return {
        name: standard.name,
        isCustom: false,
        createDateProperty: pick(standard.createDateProperty, standard.createDateProperty === 'createdate' ? 'hs_createdate' : 'createdate'),
        lastModifiedProperty: pick(standard.lastModifiedProperty, standard.lastModifiedProperty === 'lastmodifieddate' ? 'hs_lastmodifieddate' : 'lastmodifieddate'),
        hasArchivedListing: standard.hasArchivedListing,
        isEngagement: standard.isEngagement,
      };
    }
    if (!isCustomObjectType(objectType)) throw new Error(`unknown object type "${objectType}"`);
    const schema = (await this.customSchemas()).find((s) => s.objectTypeId === objectType || s.fullyQualifiedName === objectType);
    if (!schema) throw new Error(`custom object type "${objectType}" is not in the portal's schemas`);
    return {
      name: schema.objectTypeId,
      isCustom: true,
      fullyQualifiedName: schema.fullyQualifiedName,
      createDateProperty: 'hs_createdate',
      lastModifiedProperty: 'hs_lastmodifieddate',
      hasArchivedListing: false,
      isEngagement: false,
    };
  }

  /** Every object type of the portal: the standard ones and its custom objects. */
  async allTypes(): Promise<string[]> {
    const customs = await this.customSchemas().catch(() => [] as CustomObjectSchema[]);
    return [...STANDARD_OBJECT_TYPES.map((t) => t.name), ...customs.map((c) => c.objectTypeId)];
  }

  async definitions(objectType: string): Promise<HubspotPropertyDefinitionV1[]> {
    const cached = this.properties.get(objectType);
    if (cached && Date.now() - cached.at < PROPERTY_TTL_MS) return cached.value;
    const value = this.client.properties(objectType);
    this.properties.set(objectType, { at: Date.now(), value });
    value.catch(() => this.properties.delete(objectType));
    return value;
  }

  async propertyNames(objectType: string): Promise<Set<string>> {
    return new Set((await this.definitions(objectType)).filter((p) => !p.archived).map((p) => p.name));
  }

  async propertyInfo(objectType: string): Promise<Map<string, PropertyInfo>> {
    return new Map((await this.definitions(objectType)).map((p) => [p.name, { name: p.name, type: p.type, fieldType: p.fieldType }]));
  }

  forget(objectType?: string): void {
    if (objectType) this.properties.delete(objectType);
    else this.properties.clear();
    this.customs = null;
  }
}
