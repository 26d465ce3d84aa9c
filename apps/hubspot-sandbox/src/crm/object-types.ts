/**
 * The CRM object types the sandbox serves and the per-type facts HubSpot attaches to them.
 *
 * Sources:
 * - objectTypeIds (0-1 contacts, 0-2 companies, 0-3 deals, 0-5 tickets, 0-7 products, 0-8 line items,
 *   0-14 quotes, 0-27 tasks, 0-46 notes, 0-47 meetings, 0-48 calls, 0-49 emails): HubSpot docs
 *   "Understanding the CRM" → "Object type IDs" (developers.hubspot.com/docs/guides/crm/understanding-the-crm).
 * - Create/modify date property names (`createdate` for contacts/companies/deals/tickets,
 *   `hs_createdate` elsewhere; `lastmodifieddate` for contacts, `hs_lastmodifieddate` elsewhere):
 *   HubSpot docs "CRM search" (sorting / "lastmodifieddate for contacts") and HUBSPOT-FACTS.md.
 * - Scopes: HubSpot docs "Scopes" (developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes);
 *   engagements (calls, meetings, notes, tasks, emails) are read with the contacts scopes there.
 */
export interface StandardObjectType {
  objectTypeId: string;
  /** Plural API name used in URLs (`/crm/v3/objects/contacts`). */
  name: string;
  singular: string;
  createDateProperty: string;
  modifiedDateProperty: string;
  /** Properties returned when a read names none (HubSpot's "default properties"). */
  defaultProperties: string[];
  /** Properties the search `query` parameter matches (HubSpot: "default searchable properties"). */
  searchableProperties: string[];
  primaryDisplayProperty: string;
  readScopes: string[];
  writeScopes: string[];
  /** Merge endpoint exists (contacts, companies, deals, tickets — SDK has MergeApi for these). */
  mergeable: boolean;
  /** Has a `/crm/v3/schemas/{type}` core schema (HUBSPOT-FACTS.md "Schemas"). */
  hasCoreSchema: boolean;
  /** Pipelines endpoint serves this type (`/crm/v3/pipelines/{deals|tickets}`). */
  pipelineProperty?: string;
  stageProperty?: string;
}

const contactsScopes = { readScopes: ['crm.objects.contacts.read'], writeScopes: ['crm.objects.contacts.write'] };

export const STANDARD_OBJECT_TYPES: StandardObjectType[] = [
  {
    objectTypeId: '0-1', name: 'contacts', singular: 'contact', createDateProperty: 'createdate', modifiedDateProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    searchableProperties: ['firstname', 'lastname', 'email', 'phone', 'company', 'hs_additional_emails'],
    primaryDisplayProperty: 'email', ...contactsScopes, mergeable: true, hasCoreSchema: true,
  },
  {
    objectTypeId: '0-2', name: 'companies', singular: 'company', createDateProperty: 'createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchableProperties: ['name', 'domain', 'website', 'phone'],
    primaryDisplayProperty: 'name', readScopes: ['crm.objects.companies.read'], writeScopes: ['crm.objects.companies.write'],
    mergeable: true, hasCoreSchema: true,
  },
  {
    objectTypeId: '0-3', name: 'deals', singular: 'deal', createDateProperty: 'createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    searchableProperties: ['dealname'],
    primaryDisplayProperty: 'dealname', readScopes: ['crm.objects.deals.read'], writeScopes: ['crm.objects.deals.write'],
    mergeable: true, hasCoreSchema: true, pipelineProperty: 'pipeline', stageProperty: 'dealstage',
  },
  {
    objectTypeId: '0-5', name: 'tickets', singular: 'ticket', createDateProperty: 'createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject'],
    searchableProperties: ['subject', 'content'],
    primaryDisplayProperty: 'subject', readScopes: ['tickets'], writeScopes: ['tickets'],
    mergeable: true, hasCoreSchema: true, pipelineProperty: 'hs_pipeline', stageProperty: 'hs_pipeline_stage',
  },
  {
    objectTypeId: '0-7', name: 'products', singular: 'product', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'description', 'hs_lastmodifieddate', 'hs_object_id', 'name', 'price'],
    searchableProperties: ['name', 'description', 'hs_sku'],
    primaryDisplayProperty: 'name', readScopes: ['e-commerce'], writeScopes: ['e-commerce'], mergeable: false, hasCoreSchema: true,
  },
  {
    objectTypeId: '0-8', name: 'line_items', singular: 'line_item', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_product_id', 'name', 'price', 'quantity'],
    searchableProperties: ['name'],
    primaryDisplayProperty: 'name', readScopes: ['crm.objects.line_items.read'], writeScopes: ['crm.objects.line_items.write'],
    mergeable: false, hasCoreSchema: true,
  },
  {
    objectTypeId: '0-14', name: 'quotes', singular: 'quote', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_expiration_date', 'hs_lastmodifieddate', 'hs_object_id', 'hs_public_url_key', 'hs_status', 'hs_title'],
    searchableProperties: ['hs_title'],
    primaryDisplayProperty: 'hs_title', readScopes: ['crm.objects.quotes.read'], writeScopes: ['crm.objects.quotes.write'],
    mergeable: false, hasCoreSchema: true,
  },
  {
    objectTypeId: '0-27', name: 'tasks', singular: 'task', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_task_subject', 'hs_task_body'],
    primaryDisplayProperty: 'hs_task_subject', ...contactsScopes, mergeable: false, hasCoreSchema: false,
  },
  {
    objectTypeId: '0-46', name: 'notes', singular: 'note', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_note_body'],
    primaryDisplayProperty: 'hs_note_body', ...contactsScopes, mergeable: false, hasCoreSchema: false,
  },
  {
    objectTypeId: '0-47', name: 'meetings', singular: 'meeting', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_meeting_title', 'hs_meeting_body'],
    primaryDisplayProperty: 'hs_meeting_title', ...contactsScopes, mergeable: false, hasCoreSchema: false,
  },
  {
    objectTypeId: '0-48', name: 'calls', singular: 'call', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_call_title', 'hs_call_body'],
    primaryDisplayProperty: 'hs_call_title', ...contactsScopes, mergeable: false, hasCoreSchema: false,
  },
  {
    objectTypeId: '0-49', name: 'emails', singular: 'email', createDateProperty: 'hs_createdate', modifiedDateProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_email_subject', 'hs_email_text'],
    primaryDisplayProperty: 'hs_email_subject', readScopes: ['sales-email-read'], writeScopes: ['crm.objects.contacts.write'],
    mergeable: false, hasCoreSchema: false,
  },
];

/** Custom objects are read/written with these scopes (HubSpot scopes doc: crm.objects.custom.*). */
export const CUSTOM_OBJECT_SCOPES = { read: ['crm.objects.custom.read'], write: ['crm.objects.custom.write'] };
export const CUSTOM_SCHEMA_SCOPES = ['crm.schemas.custom.read'];
export const OWNERS_SCOPES = ['crm.objects.owners.read'];

export const ENGAGEMENT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'];

const byKey = new Map<string, StandardObjectType>();
for (const t of STANDARD_OBJECT_TYPES) {
  byKey.set(t.objectTypeId, t);
  byKey.set(t.name, t);
  byKey.set(t.singular, t);
}

/** Finds a standard type by plural name, singular name or objectTypeId (case-insensitive names). */
export function findStandardType(key: string): StandardObjectType | undefined {
  return byKey.get(key) ?? byKey.get(key.toLowerCase());
}
