import { ENGAGEMENT_OBJECT_TYPES } from '@hubsync/contracts';

/** Target entities a property mapping can fill, the HubSpot object types they come from, and their fields. */
export type TargetFieldType = 'text' | 'number' | 'date' | 'datetime' | 'boolean';

export interface TargetEntityDefinition {
  entity: string;
  sourceObjectTypes: string[];
  fields: Record<string, TargetFieldType>;
}

export const TARGET_ENTITIES: Record<string, TargetEntityDefinition> = {
  'stanna.client': {
    entity: 'stanna.client',
    sourceObjectTypes: ['companies'],
    fields: { name: 'text', domain: 'text', mrr: 'number', renewal_date: 'date', csm_owner_id: 'text', lifecycle_stage: 'text' },
  },
  'stanna.stakeholder': {
    entity: 'stanna.stakeholder',
    sourceObjectTypes: ['contacts'],
    fields: { email: 'text', name: 'text', title: 'text', company_name: 'text' },
  },
  'stanna.deal': {
    entity: 'stanna.deal',
    sourceObjectTypes: ['deals'],
    fields: { name: 'text', amount: 'number', currency: 'text', close_date: 'datetime', probability: 'number', mrr_contribution: 'number', deal_type: 'text' },
  },
  'stanna.activity': {
    entity: 'stanna.activity',
    sourceObjectTypes: [...ENGAGEMENT_OBJECT_TYPES],
    fields: { subject: 'text', body: 'text', occurred_at: 'datetime', direction: 'text', outcome: 'text', status: 'text' },
  },
  'exante.document': {
    entity: 'exante.document',
    sourceObjectTypes: ['deals'],
    fields: { title: 'text', amount: 'number', currency: 'text', close_date: 'datetime' },
  },
  'exante.party': {
    entity: 'exante.party',
    sourceObjectTypes: ['companies'],
    fields: { name: 'text', domain: 'text', phone: 'text', industry: 'text', country: 'text', city: 'text' },
  },
  'exante.contact': {
    entity: 'exante.contact',
    sourceObjectTypes: ['contacts'],
    fields: { email: 'text', first_name: 'text', last_name: 'text', phone: 'text', job_title: 'text' },
  },
};

/** `custom.<key>` targets land in the entity's `custom_fields` jsonb. */
export const CUSTOM_FIELD_RE = /^custom\.[a-z0-9_]{1,63}$/;

export function targetFieldType(entity: string, field: string): TargetFieldType | null {
  const def = TARGET_ENTITIES[entity];
  if (!def) return null;
  if (CUSTOM_FIELD_RE.test(field)) return 'text';
  return def.fields[field] ?? null;
}
