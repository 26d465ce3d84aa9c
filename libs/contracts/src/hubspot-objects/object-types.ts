/**
 * HubSpot's standard CRM object types and the properties the sync keys on.
 * Source: HUBSPOT-FACTS.md "Search" — change cursor `lastmodifieddate` for contacts,
 * `hs_lastmodifieddate` for the others; create date `createdate` for contacts/companies/deals,
 * `hs_createdate` on several others.
 */
export interface StandardObjectType {
  name: string;
  createDateProperty: string;
  lastModifiedProperty: string;
  /** Whether `GET /crm/v3/objects/{type}?archived=true` exists for it (custom objects: no). */
  hasArchivedListing: boolean;
  /** Read scope(s); any one of them grants read access. */
  readScopes: string[];
  isEngagement: boolean;
}

const standard = (
  name: string,
  createDateProperty: string,
  lastModifiedProperty: string,
  readScopes: string[],
  isEngagement = false,
): StandardObjectType => ({ name, createDateProperty, lastModifiedProperty, hasArchivedListing: true, readScopes, isEngagement });

export const STANDARD_OBJECT_TYPES: StandardObjectType[] = [
  standard('contacts', 'createdate', 'lastmodifieddate', ['crm.objects.contacts.read']),
  standard('companies', 'createdate', 'hs_lastmodifieddate', ['crm.objects.companies.read']),
  standard('deals', 'createdate', 'hs_lastmodifieddate', ['crm.objects.deals.read']),
  standard('tickets', 'createdate', 'hs_lastmodifieddate', ['tickets']),
  standard('line_items', 'createdate', 'hs_lastmodifieddate', ['e-commerce', 'crm.objects.line_items.read']),
  standard('products', 'createdate', 'hs_lastmodifieddate', ['e-commerce']),
  standard('quotes', 'hs_createdate', 'hs_lastmodifieddate', ['crm.objects.quotes.read']),
  standard('calls', 'hs_createdate', 'hs_lastmodifieddate', ['crm.objects.contacts.read'], true),
  standard('emails', 'hs_createdate', 'hs_lastmodifieddate', ['sales-email-read'], true),
  standard('meetings', 'hs_createdate', 'hs_lastmodifieddate', ['crm.objects.contacts.read'], true),
  standard('notes', 'hs_createdate', 'hs_lastmodifieddate', ['crm.objects.contacts.read'], true),
  standard('tasks', 'hs_createdate', 'hs_lastmodifieddate', ['crm.objects.contacts.read'], true),
];

export const ENGAGEMENT_OBJECT_TYPES = STANDARD_OBJECT_TYPES.filter((t) => t.isEngagement).map((t) => t.name);

export const OWNERS_READ_SCOPE = 'crm.objects.owners.read';
export const CUSTOM_OBJECTS_READ_SCOPE = 'crm.objects.custom.read';
export const SCHEMAS_READ_SCOPES = ['crm.schemas.contacts.read', 'crm.schemas.companies.read', 'crm.schemas.deals.read', 'crm.schemas.custom.read'];

export function standardObjectType(name: string): StandardObjectType | undefined {
  return STANDARD_OBJECT_TYPES.find((t) => t.name === name);
}

/** Custom objects: `2-1234567` (objectTypeId) or `p<portal>_<name>` (fully qualified name). */
export function isCustomObjectType(name: string): boolean {
  return /^2-\d+$/.test(name) || /^p\d+_[a-z0-9_]+$/i.test(name);
}
