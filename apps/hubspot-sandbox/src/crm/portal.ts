import { CUSTOM_OBJECT_SCOPES, STANDARD_OBJECT_TYPES, StandardObjectType, findStandardType } from './object-types';
import { PropertyDefinition, defineProperty, standardProperties } from './property-definitions';
import { AssociationStore } from './store/association-store';
import { AssociationTypeRegistry } from './store/association-types';
import { ObjectTable } from './store/object-table';
import { Pipeline, defaultPipelines } from './pipelines';

export type AccountTier = 'free' | 'starter' | 'professional' | 'enterprise';

/** Everything the sandbox knows about one object type of one portal. */
export interface ObjectTypeInfo {
  objectTypeId: string;
  /** Name used in URLs and `associations` keys: plural standard name or the custom fully qualified name. */
  name: string;
  singular: string;
  custom: boolean;
  createDateProperty: string;
  modifiedDateProperty: string;
  defaultProperties: string[];
  searchableProperties: string[];
  primaryDisplayProperty: string;
  readScopes: string[];
  writeScopes: string[];
  mergeable: boolean;
  properties: Map<string, PropertyDefinition>;
  table: ObjectTable;
  schema?: CustomSchema;
}

export interface CustomSchema {
  id: string;
  objectTypeId: string;
  name: string;
  fullyQualifiedName: string;
  labels: { singular: string; plural: string };
  description?: string;
  primaryDisplayProperty: string;
  secondaryDisplayProperties: string[];
  requiredProperties: string[];
  searchableProperties: string[];
  associatedObjects: string[];
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  teams: Array<{ id: string; name: string; primary: boolean }>;
}

export interface PortalOptions {
  portalId: number;
  timeZone?: string;
  currency?: string;
  tier?: AccountTier;
  limitPacks?: number;
  uiDomain?: string;
}

/** One HubSpot account ("portal"/"hub"): its CRM data, metadata and account settings. */
export class Portal {
  readonly portalId: number;
  timeZone: string;
  currency: string;
  tier: AccountTier;
  limitPacks: number;
  readonly uiDomain: string;
  readonly createdAt = Date.now();
  readonly types = new Map<string, ObjectTypeInfo>();
  readonly associationTypes: AssociationTypeRegistry;
  readonly associations: AssociationStore;
  readonly pipelines = new Map<string, Pipeline[]>();
  owners: Owner[] = [];
  private nextCustomTypeNumber = 1;

  constructor(options: PortalOptions) {
    this.portalId = options.portalId;
    this.timeZone = options.timeZone ?? 'US/Eastern';
    this.currency = options.currency ?? 'USD';
    this.tier = options.tier ?? 'professional';
    this.limitPacks = options.limitPacks ?? 0;
    this.uiDomain = options.uiDomain ?? 'app.hubspot.com';
    for (const t of STANDARD_OBJECT_TYPES) this.types.set(t.objectTypeId, this.standardInfo(t));
    this.associationTypes = new AssociationTypeRegistry((name) => findStandardType(name)?.objectTypeId ?? name);
    this.associations = new AssociationStore(this.associationTypes);
    for (const [typeId, pipelines] of Object.entries(defaultPipelines())) this.pipelines.set(typeId, pipelines);
  }

  private standardInfo(t: StandardObjectType): ObjectTypeInfo {
    const props = standardProperties(t.name);
    if (t.mergeable) props.push(defineProperty('hs_merged_object_ids', 'enumeration', { fieldType: 'checkbox', readOnlyValue: true, label: 'Merged Record IDs' }));
    const createAliases = props.filter((p) => p.readOnlyValue && p.type === 'datetime' && p.name !== t.modifiedDateProperty).map((p) => p.name);
    return {
      objectTypeId: t.objectTypeId,
      name: t.name,
      singular: t.singular,
      custom: false,
      createDateProperty: t.createDateProperty,
      modifiedDateProperty: t.modifiedDateProperty,
      defaultProperties: t.defaultProperties,
      searchableProperties: t.searchableProperties,
      primaryDisplayProperty: t.primaryDisplayProperty,
      readScopes: t.readScopes,
      writeScopes: t.writeScopes,
      mergeable: t.mergeable,
      properties: new Map(props.map((p) => [p.name, p])),
      table: new ObjectTable(t.objectTypeId, createAliases, [t.modifiedDateProperty]),
    };
  }

  /**
   * Resolves a URL object type: standard plural/singular names or `0-N`, custom objects by
   * `2-N`, `p<portalId>_<name>` or `p_<name>` (HUBSPOT-FACTS.md "Objects"; HubSpot custom objects
   * guide "fully qualified name").
   */
  resolveType(key: string): ObjectTypeInfo | undefined {
    const standard = findStandardType(key);
    if (standard) return this.types.get(standard.objectTypeId);
    const direct = this.types.get(key);
    if (direct) return direct;
    const lower = key.toLowerCase();
    for (const info of this.types.values()) {
      if (!info.custom || !info.schema) continue;
      if (info.schema.fullyQualifiedName.toLowerCase() === lower || `p_${info.schema.name}`.toLowerCase() === lower) return info;
    }
    return undefined;
  }

  /** A type that must exist (standard names, or keys the caller just created). */
  requireType(key: string): ObjectTypeInfo {
    const info = this.resolveType(key);
    if (!info) throw new Error(`object type ${key} does not exist in portal ${this.portalId}`);
    return info;
  }

  customTypes(): ObjectTypeInfo[] {
    return [...this.types.values()].filter((t) => t.custom);
  }

  /** Creates a custom object type (Schemas API `POST /crm-object-schemas/v3/schemas`). */
  createCustomType(input: {
    name: string;
    labels: { singular: string; plural: string };
    description?: string;
    primaryDisplayProperty?: string;
    secondaryDisplayProperties?: string[];
    requiredProperties?: string[];
    searchableProperties?: string[];
    properties: PropertyDefinition[];
    associatedObjects?: string[];
  }): ObjectTypeInfo {
    const number = this.nextCustomTypeNumber++;
    // objectTypeId `2-<n>`: HubSpot numbers custom types per account; ours start above 1,000,000.
    const objectTypeId = `2-${1_000_000 + this.portalId % 1000 * 1000 + number}`;
    const fullyQualifiedName = `p${this.portalId}_${input.name}`;
    const now = Date.now();
    const schema: CustomSchema = {
      id: String(100_000 + number),
      objectTypeId,
      name: input.name,
      fullyQualifiedName,
      labels: input.labels,
      description: input.description,
      primaryDisplayProperty: input.primaryDisplayProperty ?? input.properties[0]?.name ?? 'hs_object_id',
      secondaryDisplayProperties: input.secondaryDisplayProperties ?? [],
      requiredProperties: input.requiredProperties ?? [],
      searchableProperties: input.searchableProperties ?? [],
      associatedObjects: [],
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    const group = `${input.name}_information`;
    const system = [
      defineProperty('hs_object_id', 'number', { group, readOnlyValue: true, label: 'Record ID' }),
      defineProperty('hs_createdate', 'datetime', { group, readOnlyValue: true, label: 'Create Date' }),
      defineProperty('hs_lastmodifieddate', 'datetime', { group, readOnlyValue: true, label: 'Last Modified Date' }),
    ];
    const props = [...system, ...input.properties.map((p) => ({ ...p, hubspotDefined: false, createdAt: now, updatedAt: now }))];
    const info: ObjectTypeInfo = {
      objectTypeId,
      name: fullyQualifiedName,
      singular: input.name,
      custom: true,
      createDateProperty: 'hs_createdate',
      modifiedDateProperty: 'hs_lastmodifieddate',
      defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
      searchableProperties: schema.searchableProperties.length ? schema.searchableProperties : [schema.primaryDisplayProperty],
      primaryDisplayProperty: schema.primaryDisplayProperty,
      readScopes: CUSTOM_OBJECT_SCOPES.read,
      writeScopes: CUSTOM_OBJECT_SCOPES.write,
      mergeable: false,
      properties: new Map(props.map((p) => [p.name, p])),
      table: new ObjectTable(objectTypeId, ['hs_createdate'], ['hs_lastmodifieddate']),
      schema,
    };
    this.types.set(objectTypeId, info);
    for (const other of input.associatedObjects ?? []) {
      const target = this.resolveType(other);
      if (target) this.associateTypes(info, target);
    }
    return info;
  }

  associateTypes(a: ObjectTypeInfo, b: ObjectTypeInfo): void {
    this.associationTypes.ensurePair(a.objectTypeId, b.objectTypeId, `${a.singular}_to_${b.singular}`);
    for (const [x, y] of [[a, b], [b, a]]) {
      if (x.schema && !x.schema.associatedObjects.includes(y.objectTypeId)) x.schema.associatedObjects.push(y.objectTypeId);
    }
  }

  /** Total records (live + archived) over all object types. */
  objectCount(): number {
    let n = 0;
    for (const t of this.types.values()) n += t.table.size;
    return n;
  }
}
