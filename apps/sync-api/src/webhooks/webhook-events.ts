import { FieldError } from '../http/error-body';

/**
 * HubSpot webhook events (developers.hubspot.com "Webhooks API": a POST carries a JSON array of up to
 * 100 events with `eventId`, `subscriptionId`, `portalId`, `appId`, `occurredAt`, `subscriptionType`,
 * `attemptNumber`, `objectId`, and per type `propertyName`/`propertyValue`, `objectTypeId` for the
 * generic `object.*` subscriptions, `fromObjectId`/`toObjectId`/`associationType` for association
 * changes, `mergedObjectIds`/`primaryObjectId` for merges).
 */
export interface HubspotWebhookEvent {
  eventId: number | string;
  portalId: number | string;
  subscriptionType: string;
  objectId?: number | string;
  objectTypeId?: string;
  occurredAt?: number;
  propertyName?: string;
  fromObjectId?: number | string;
  toObjectId?: number | string;
  associationType?: string;
  mergedObjectIds?: (number | string)[];
  primaryObjectId?: number | string;
  newObjectId?: number | string;
}

export const MAX_EVENTS_PER_REQUEST = 1000;

/** Legacy subscription prefixes (`contact.creation`) → object types. */
const PREFIX_TYPES: Record<string, string> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
  product: 'products',
  line_item: 'line_items',
};

/** objectTypeId of generic `object.*` subscriptions (HubSpot "Understanding the CRM" → object type ids). */
const OBJECT_TYPE_IDS: Record<string, string> = {
  '0-1': 'contacts',
  '0-2': 'companies',
  '0-3': 'deals',
  '0-5': 'tickets',
  '0-7': 'products',
  '0-8': 'line_items',
  '0-14': 'quotes',
  '0-27': 'tasks',
  '0-46': 'notes',
  '0-47': 'meetings',
  '0-48': 'calls',
  '0-49': 'emails',
};

/** Association types look like `CONTACT_TO_COMPANY`. */
const ASSOCIATION_SIDE: Record<string, string> = {
  CONTACT: 'contacts',
  COMPANY: 'companies',
  DEAL: 'deals',
  TICKET: 'tickets',
  LINE_ITEM: 'line_items',
  PRODUCT: 'products',
  QUOTE: 'quotes',
};

export function objectTypeOf(event: HubspotWebhookEvent): string | null {
  if (event.objectTypeId) {
    if (OBJECT_TYPE_IDS[event.objectTypeId]) return OBJECT_TYPE_IDS[event.objectTypeId];
    if (/^2-\d+$/.test(event.objectTypeId)) return event.objectTypeId;
  }
  const prefix = event.subscriptionType.split('.')[0];
  return PREFIX_TYPES[prefix] ?? null;
}

/** The record ids an event says changed, per object type (the fetcher re-reads them by id). */
export function idsToFetch(event: HubspotWebhookEvent): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (type: string | null, id: unknown) => {
    if (!type || id === undefined || id === null || !/^\d{1,20}$/.test(String(id))) return;
    (out[type] ??= []).push(String(id));
  };
  const type = objectTypeOf(event);
  add(type, event.objectId);
  if (event.subscriptionType.endsWith('.associationChange')) {
    const [from, to] = (event.associationType ?? '').split('_TO_');
    add(ASSOCIATION_SIDE[from] ?? type, event.fromObjectId);
    add(ASSOCIATION_SIDE[to] ?? null, event.toObjectId);
  }
  if (event.subscriptionType.endsWith('.merge')) {
    add(type, event.primaryObjectId ?? event.newObjectId);
    for (const id of event.mergedObjectIds ?? []) add(type, id);
  }
  return out;
}

export type EventsValidation = { ok: true; events: HubspotWebhookEvent[] } | { ok: false; errors: FieldError[] };

export function validateWebhookEvents(body: unknown): EventsValidation {
  if (!Array.isArray(body)) return { ok: false, errors: [{ field: 'body', message: 'body must be a JSON array of HubSpot webhook events' }] };
  if (body.length > MAX_EVENTS_PER_REQUEST) return { ok: false, errors: [{ field: 'body', message: `body must contain at most ${MAX_EVENTS_PER_REQUEST} events` }] };
  const errors: FieldError[] = [];
  body.forEach((event, i) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return errors.push({ field: `${i}`, message: `${i} must be an event object` });
    const e = event as Record<string, unknown>;
    if (!isId(e['eventId'])) errors.push({ field: `${i}.eventId`, message: `${i}.eventId must be a number or a numeric string` });
    if (!isId(e['portalId'])) errors.push({ field: `${i}.portalId`, message: `${i}.portalId must be a number or a numeric string` });
    if (typeof e['subscriptionType'] !== 'string' || !/^[a-z_]+\.[A-Za-z_]+$/.test(e['subscriptionType'])) {
      errors.push({ field: `${i}.subscriptionType`, message: `${i}.subscriptionType must look like contact.creation` });
    }
    if (e['objectId'] !== undefined && !isId(e['objectId'])) errors.push({ field: `${i}.objectId`, message: `${i}.objectId must be a number or a numeric string` });
    if (e['objectTypeId'] !== undefined && (typeof e['objectTypeId'] !== 'string' || !/^\d-\d+$/.test(e['objectTypeId']))) {
      errors.push({ field: `${i}.objectTypeId`, message: `${i}.objectTypeId must look like 0-1 or 2-12345` });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, events: body as HubspotWebhookEvent[] };
}

function isId(value: unknown): boolean {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && /^\d{1,20}$/.test(value));
}
