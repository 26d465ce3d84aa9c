import { Injectable } from '@nestjs/common';
import { HubSpotError, objectNotFound, unknownObjectType, validationError } from '../http/hubspot-error';
import { HubSpotContext, requireScopes } from '../http/request-context';
import { CUSTOM_SCHEMA_SCOPES, OWNERS_SCOPES } from './object-types';
import { ObjectTypeInfo, Owner, Portal } from './portal';
import { pipelineToJson, stageToJson } from './pipelines';
import { PropertyDefinition, PropertyType, defineProperty, propertyToJson } from './property-definitions';
import { enumerationOptions } from './property-validation';

const iso = (ms: number) => new Date(ms).toISOString();
const PROPERTY_TYPES: PropertyType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
/** Core types with a schema at `/crm/v3/schemas/{type}` (HUBSPOT-FACTS.md, Schemas). */
const CORE_SCHEMA_TYPES = ['0-1', '0-2', '0-3', '0-5', '0-8', '0-7', '0-14'];
/** Schema read scopes (HubSpot scopes doc: crm.schemas.{contacts,companies,deals,quotes,line_items,custom}.read). */
const SCHEMA_SCOPES: Record<string, string> = {
  '0-1': 'crm.schemas.contacts.read', '0-2': 'crm.schemas.companies.read', '0-3': 'crm.schemas.deals.read',
  '0-14': 'crm.schemas.quotes.read', '0-8': 'crm.schemas.line_items.read', '0-5': 'tickets', '0-7': 'e-commerce',
};

/** Schemas, properties, pipelines, owners and account info. */
@Injectable()
export class MetadataService {
  private type(ctx: HubSpotContext, key: string): ObjectTypeInfo {
    const info = ctx.portal.resolveType(key);
    if (!info) throw unknownObjectType(key);
    return info;
  }

  // ---- properties (`/crm/v3/properties/{objectType}`; SDK crm/properties CoreApi/BatchApi) ----

  private propertyJson(portal: Portal, info: ObjectTypeInfo, p: PropertyDefinition) {
    const live = p.type === 'enumeration' && p.options.length === 0 && !p.externalOptions ? enumerationOptions(portal, info, p.name) : null;
    const options = live ? live.map((value, i) => ({ label: this.stageLabel(portal, info, value), value, displayOrder: i, hidden: false })) : undefined;
    return propertyToJson(p, options);
  }

  private stageLabel(portal: Portal, info: ObjectTypeInfo, value: string): string {
    for (const p of portal.pipelines.get(info.objectTypeId) ?? []) {
      if (p.id === value) return p.label;
      const s = p.stages.find((st) => st.id === value);
      if (s) return s.label;
    }
    return value;
  }

  listProperties(ctx: HubSpotContext, key: string, archived: boolean) {
    const info = this.type(ctx, key);
    requireScopes(ctx, info.readScopes);
    return { results: [...info.properties.values()].filter((p) => p.archived === archived).map((p) => this.propertyJson(ctx.portal, info, p)) };
  }

  getProperty(ctx: HubSpotContext, key: string, name: string, archived: boolean) {
    const info = this.type(ctx, key);
    requireScopes(ctx, info.readScopes);
    const p = info.properties.get(name);
    if (!p || p.archived !== archived) throw objectNotFound(`Property ${name} does not exist`);
    return this.propertyJson(ctx.portal, info, p);
  }

  batchReadProperties(ctx: HubSpotContext, key: string, body: unknown) {
    const startedAt = Date.now();
    const info = this.type(ctx, key);
    requireScopes(ctx, info.readScopes);
    const inputs = (body as { inputs?: Array<{ name?: unknown }> })?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    const archived = (body as { archived?: unknown }).archived === true;
    const results = inputs.map((i) => info.properties.get(String(i?.name))).filter((p): p is PropertyDefinition => !!p && p.archived === archived);
    return { status: 'COMPLETE', results: results.map((p) => this.propertyJson(ctx.portal, info, p)), startedAt: iso(startedAt), completedAt: iso(Date.now()) };
  }

  createProperty(ctx: HubSpotContext, key: string, body: unknown) {
    const info = this.type(ctx, key);
    requireScopes(ctx, [info.custom ? 'crm.schemas.custom.write' : `crm.schemas.${info.name}.write`]);
    const def = parsePropertyCreate(body);
    const existing = info.properties.get(def.name);
    if (existing && !existing.archived) throw new HubSpotError(409, 'CONFLICT', `A property named '${def.name}' already exists.`);
    info.properties.set(def.name, def);
    return this.propertyJson(ctx.portal, info, def);
  }

  updateProperty(ctx: HubSpotContext, key: string, name: string, body: unknown) {
    const info = this.type(ctx, key);
    requireScopes(ctx, [info.custom ? 'crm.schemas.custom.write' : `crm.schemas.${info.name}.write`]);
    const p = info.properties.get(name);
    if (!p || p.archived) throw objectNotFound(`Property ${name} does not exist`);
    const b = (body ?? {}) as Record<string, unknown>;
    if (p.hubspotDefined && (b['type'] !== undefined || b['fieldType'] !== undefined)) throw validationError(`${name} is HubSpot-defined; its type cannot change`);
    for (const field of ['label', 'description', 'groupName', 'fieldType'] as const) if (typeof b[field] === 'string') p[field] = b[field] as string;
    if (typeof b['hidden'] === 'boolean') p.hidden = b['hidden'] as boolean;
    if (typeof b['displayOrder'] === 'number') p.displayOrder = b['displayOrder'] as number;
    if (Array.isArray(b['options'])) p.options = parseOptions(b['options']);
    p.updatedAt = Date.now();
    return this.propertyJson(ctx.portal, info, p);
  }

  archiveProperty(ctx: HubSpotContext, key: string, name: string): void {
    const info = this.type(ctx, key);
    requireScopes(ctx, [info.custom ? 'crm.schemas.custom.write' : `crm.schemas.${info.name}.write`]);
    const p = info.properties.get(name);
    if (!p || p.archived) throw objectNotFound(`Property ${name} does not exist`);
    if (p.hubspotDefined) throw validationError(`${name} is HubSpot-defined and cannot be archived`);
    p.archived = true;
    p.archivedAt = Date.now();
  }

  propertyGroups(ctx: HubSpotContext, key: string) {
    const info = this.type(ctx, key);
    requireScopes(ctx, info.readScopes);
    const names = [...new Set([...info.properties.values()].map((p) => p.groupName))];
    return { results: names.map((name, i) => ({ name, label: name.replace(/_/g, ' '), displayOrder: i, archived: false })) };
  }

  // ---- schemas (`/crm/v3/schemas`, `/crm-object-schemas/v3/schemas`; SDK crm/schemas CoreApi) ----

  private schemaJson(portal: Portal, info: ObjectTypeInfo) {
    const s = info.schema;
    const associations = [...portal.types.values()]
      .filter((other) => other !== info && portal.associationTypes.hasPair(info.objectTypeId, other.objectTypeId))
      .map((other) => {
        const def = portal.associationTypes.defaultType(info.objectTypeId, other.objectTypeId);
        return { id: String(def.typeId), fromObjectTypeId: info.objectTypeId, toObjectTypeId: other.objectTypeId, name: def.name, createdAt: iso(s?.createdAt ?? 0), updatedAt: iso(s?.updatedAt ?? 0) };
      });
    const now = s?.createdAt ?? Date.parse('2020-01-01T00:00:00Z');
    return {
      id: s?.id ?? info.objectTypeId,
      objectTypeId: info.objectTypeId,
      name: s?.name ?? info.name,
      fullyQualifiedName: s?.fullyQualifiedName ?? info.name,
      labels: s?.labels ?? { singular: info.singular, plural: info.name },
      description: s?.description,
      primaryDisplayProperty: info.primaryDisplayProperty,
      secondaryDisplayProperties: s?.secondaryDisplayProperties ?? [],
      requiredProperties: s?.requiredProperties ?? [],
      searchableProperties: s?.searchableProperties ?? info.searchableProperties,
      properties: [...info.properties.values()].filter((p) => !p.archived).map((p) => this.propertyJson(portal, info, p)),
      associations,
      archived: s?.archived ?? false,
      createdAt: iso(now),
      updatedAt: iso(s?.updatedAt ?? now),
      createdByUserId: 1,
      updatedByUserId: 1,
    };
  }

  /** Lists custom object schemas only (HUBSPOT-FACTS.md, Schemas). */
  listSchemas(ctx: HubSpotContext, archived: boolean) {
    requireScopes(ctx, CUSTOM_SCHEMA_SCOPES);
    return { results: ctx.portal.customTypes().filter((t) => (t.schema?.archived ?? false) === archived).map((t) => this.schemaJson(ctx.portal, t)) };
  }

  getSchema(ctx: HubSpotContext, key: string) {
    const info = ctx.portal.resolveType(key);
    if (!info || (!info.custom && !CORE_SCHEMA_TYPES.includes(info.objectTypeId))) throw objectNotFound(`Unable to find object type ${key}`);
    requireScopes(ctx, [info.custom ? CUSTOM_SCHEMA_SCOPES[0] : SCHEMA_SCOPES[info.objectTypeId]]);
    return this.schemaJson(ctx.portal, info);
  }

  createSchema(ctx: HubSpotContext, body: unknown) {
    requireScopes(ctx, ['crm.schemas.custom.write']);
    const b = (body ?? {}) as Record<string, unknown>;
    const name = b['name'];
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/i.test(name)) throw validationError('name is required: letters, digits and underscores, starting with a letter');
    if (ctx.portal.customTypes().some((t) => t.schema?.name === name)) throw new HubSpotError(409, 'CONFLICT', `Object type with name ${name} already exists.`);
    const labels = b['labels'] as { singular?: string; plural?: string } | undefined;
    if (!labels?.singular || !labels?.plural) throw validationError('labels.singular and labels.plural are required');
    if (!Array.isArray(b['properties'])) throw validationError('properties must be an array');
    const properties = (b['properties'] as unknown[]).map((p) => parsePropertyCreate(p));
    const info = ctx.portal.createCustomType({
      name,
      labels: { singular: labels.singular, plural: labels.plural },
      description: typeof b['description'] === 'string' ? (b['description'] as string) : undefined,
      primaryDisplayProperty: b['primaryDisplayProperty'] as string | undefined,
      secondaryDisplayProperties: b['secondaryDisplayProperties'] as string[] | undefined,
      requiredProperties: b['requiredProperties'] as string[] | undefined,
      searchableProperties: b['searchableProperties'] as string[] | undefined,
      properties,
      associatedObjects: Array.isArray(b['associatedObjects']) ? (b['associatedObjects'] as string[]) : [],
    });
    return this.schemaJson(ctx.portal, info);
  }

  // ---- pipelines (`/crm/v3/pipelines/{objectType}`; SDK crm/pipelines) ----

  private pipelineType(ctx: HubSpotContext, key: string): ObjectTypeInfo {
    const info = this.type(ctx, key);
    requireScopes(ctx, info.readScopes);
    return info;
  }

  listPipelines(ctx: HubSpotContext, key: string) {
    const info = this.pipelineType(ctx, key);
    return { results: (ctx.portal.pipelines.get(info.objectTypeId) ?? []).map(pipelineToJson) };
  }

  getPipeline(ctx: HubSpotContext, key: string, id: string) {
    const info = this.pipelineType(ctx, key);
    const p = (ctx.portal.pipelines.get(info.objectTypeId) ?? []).find((x) => x.id === id);
    if (!p) throw objectNotFound(`Pipeline ${id} does not exist`);
    return pipelineToJson(p);
  }

  listStages(ctx: HubSpotContext, key: string, id: string) {
    const info = this.pipelineType(ctx, key);
    const p = (ctx.portal.pipelines.get(info.objectTypeId) ?? []).find((x) => x.id === id);
    if (!p) throw objectNotFound(`Pipeline ${id} does not exist`);
    return { results: p.stages.map(stageToJson) };
  }

  getStage(ctx: HubSpotContext, key: string, id: string, stageId: string) {
    const info = this.pipelineType(ctx, key);
    const s = (ctx.portal.pipelines.get(info.objectTypeId) ?? []).find((x) => x.id === id)?.stages.find((st) => st.id === stageId);
    if (!s) throw objectNotFound(`Stage ${stageId} does not exist`);
    return stageToJson(s);
  }

  // ---- owners (`/crm/v3/owners`; SDK crm/owners OwnersApi) ----

  private ownerJson(o: Owner) {
    return {
      id: o.id, email: o.email, type: 'PERSON', firstName: o.firstName, lastName: o.lastName, userId: o.userId, userIdIncludingInactive: o.userId,
      createdAt: iso(o.createdAt), updatedAt: iso(o.updatedAt), archived: o.archived, teams: o.teams,
    };
  }

  listOwners(ctx: HubSpotContext, q: { email?: string; after?: string; limit: number; archived: boolean }, baseUrl: string) {
    requireScopes(ctx, OWNERS_SCOPES);
    const all = ctx.portal.owners.filter((o) => o.archived === q.archived && (!q.email || o.email.toLowerCase() === q.email.toLowerCase()));
    const start = q.after ? Number(Buffer.from(q.after, 'base64url').toString()) || 0 : 0;
    const page = all.slice(start, start + q.limit);
    const out: Record<string, unknown> = { results: page.map((o) => this.ownerJson(o)) };
    if (start + q.limit < all.length) {
      const after = Buffer.from(String(start + q.limit)).toString('base64url');
      out['paging'] = { next: { after, link: `${baseUrl}/crm/v3/owners/?after=${after}` } };
    }
    return out;
  }

  getOwner(ctx: HubSpotContext, id: string, idProperty: string | undefined, archived: boolean) {
    requireScopes(ctx, OWNERS_SCOPES);
    const o = ctx.portal.owners.find((x) => x.archived === archived && (idProperty === 'userId' ? String(x.userId) === id : x.id === id));
    if (!o) throw objectNotFound();
    return this.ownerJson(o);
  }
}

function parseOptions(raw: unknown[]) {
  return raw.map((o, i) => {
    const x = o as Record<string, unknown>;
    if (typeof x['value'] !== 'string' || typeof x['label'] !== 'string') throw validationError(`options[${i}] needs label and value`);
    return { label: x['label'] as string, value: x['value'] as string, displayOrder: typeof x['displayOrder'] === 'number' ? (x['displayOrder'] as number) : i, hidden: x['hidden'] === true, description: typeof x['description'] === 'string' ? (x['description'] as string) : undefined };
  });
}

/** SDK PropertyCreate / ObjectTypePropertyCreate → a custom (non-HubSpot-defined) property. */
export function parsePropertyCreate(body: unknown): PropertyDefinition {
  const b = (body ?? {}) as Record<string, unknown>;
  const name = b['name'];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) throw validationError('property name is required: lower-case letters, digits and underscores');
  const type = b['type'] as PropertyType;
  if (!PROPERTY_TYPES.includes(type)) throw validationError(`property type must be one of ${PROPERTY_TYPES.join(', ')}`);
  const now = Date.now();
  const def = defineProperty(name, type, {
    label: typeof b['label'] === 'string' ? (b['label'] as string) : name,
    group: typeof b['groupName'] === 'string' ? (b['groupName'] as string) : 'custom_properties',
    hubspotDefined: false,
    hasUniqueValue: b['hasUniqueValue'] === true,
    hidden: b['hidden'] === true,
    formField: b['formField'] === true,
    description: typeof b['description'] === 'string' ? (b['description'] as string) : '',
    createdAt: now,
    updatedAt: now,
  });
  if (typeof b['fieldType'] === 'string') def.fieldType = b['fieldType'] as string;
  if (Array.isArray(b['options'])) def.options = parseOptions(b['options']);
  if (type === 'enumeration' && def.options.length === 0) throw validationError('enumeration properties need options');
  return def;
}
