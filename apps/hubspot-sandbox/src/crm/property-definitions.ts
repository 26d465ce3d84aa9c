/**
 * Property definitions in the shape of HubSpot's Properties API
 * (`GET /crm/v3/properties/{objectType}` → `{ results: Property[] }`).
 * Shape source: SDK `@hubspot/api-client` lib/codegen/crm/properties/models/Property.d.ts.
 * Types (`string|number|date|datetime|enumeration|bool`) and field types: SDK PropertyCreate enums.
 */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  /** Read-only system values (ids, timestamps) refuse writes. */
  readOnlyValue: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

const DEFINED_AT = Date.parse('2019-08-06T02:41:08.000Z');

const FIELD_TYPE: Record<PropertyType, string> = {
  string: 'text', number: 'number', date: 'date', datetime: 'date', enumeration: 'select', bool: 'booleancheckbox',
};

export function defineProperty(
  name: string,
  type: PropertyType,
  extra: Partial<PropertyDefinition> & { group?: string; enumValues?: string[] } = {},
): PropertyDefinition {
  const { group, enumValues, ...rest } = extra;
  const options = enumValues
    ? enumValues.map((value, i) => ({ label: humanize(value), value, displayOrder: i, hidden: false }))
    : type === 'bool'
      ? [{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false }, { label: 'No', value: 'false', displayOrder: 1, hidden: false }]
      : [];
  return {
    name,
    label: humanize(name.replace(/^hs_/, '')),
    type,
    fieldType: FIELD_TYPE[type],
    groupName: group ?? 'information',
    description: '',
    options,
    displayOrder: -1,
    hubspotDefined: true,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    formField: false,
    readOnlyValue: false,
    createdAt: DEFINED_AT,
    updatedAt: DEFINED_AT,
    archived: false,
    ...rest,
  };
}

function humanize(value: string): string {
  const words = value.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];

function common(createProps: string[], modifiedProp: string, group: string): PropertyDefinition[] {
  return [
    defineProperty('hs_object_id', 'number', { group, readOnlyValue: true, label: 'Record ID' }),
    ...createProps.map((p) => defineProperty(p, 'datetime', { group, readOnlyValue: true, label: 'Create Date' })),
    defineProperty(modifiedProp, 'datetime', { group, readOnlyValue: true, label: 'Last Modified Date' }),
    defineProperty('hubspot_owner_id', 'enumeration', { group, externalOptions: true, label: 'Owner' }),
  ];
}

/** HubSpot-defined properties per standard object type (a realistic subset of each type's list). */
export function standardProperties(typeName: string): PropertyDefinition[] {
  switch (typeName) {
    case 'contacts': {
      const g = 'contactinformation';
      return [
        ...common(['createdate'], 'lastmodifieddate', g),
        defineProperty('email', 'string', { group: g, label: 'Email' }),
        defineProperty('firstname', 'string', { group: g, label: 'First Name' }),
        defineProperty('lastname', 'string', { group: g, label: 'Last Name' }),
        defineProperty('phone', 'string', { group: g }),
        defineProperty('company', 'string', { group: g, label: 'Company Name' }),
        defineProperty('jobtitle', 'string', { group: g, label: 'Job Title' }),
        defineProperty('website', 'string', { group: g }),
        defineProperty('city', 'string', { group: g }),
        defineProperty('country', 'string', { group: g }),
        defineProperty('hs_additional_emails', 'enumeration', { group: g, fieldType: 'checkbox' }),
        defineProperty('lifecyclestage', 'enumeration', { group: g, fieldType: 'radio', enumValues: LIFECYCLE }),
        defineProperty('associatedcompanyid', 'number', { group: g, label: 'Primary Associated Company ID' }),
      ];
    }
    case 'companies': {
      const g = 'companyinformation';
      return [
        ...common(['createdate'], 'hs_lastmodifieddate', g),
        defineProperty('name', 'string', { group: g }),
        defineProperty('domain', 'string', { group: g, label: 'Company Domain Name' }),
        defineProperty('website', 'string', { group: g }),
        defineProperty('phone', 'string', { group: g }),
        defineProperty('industry', 'enumeration', { group: g, enumValues: ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'MARKETING_AND_ADVERTISING', 'EDUCATION_MANAGEMENT'] }),
        defineProperty('city', 'string', { group: g }),
        defineProperty('country', 'string', { group: g }),
        defineProperty('numberofemployees', 'number', { group: g }),
        defineProperty('annualrevenue', 'number', { group: g }),
        defineProperty('description', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('lifecyclestage', 'enumeration', { group: g, fieldType: 'radio', enumValues: LIFECYCLE }),
      ];
    }
    case 'deals': {
      const g = 'dealinformation';
      return [
        ...common(['createdate'], 'hs_lastmodifieddate', g),
        defineProperty('dealname', 'string', { group: g, label: 'Deal Name' }),
        defineProperty('amount', 'number', { group: g }),
        defineProperty('closedate', 'datetime', { group: g, label: 'Close Date' }),
        // Stage/pipeline options come from the pipelines API; the definition lists them at read time.
        defineProperty('dealstage', 'enumeration', { group: g, fieldType: 'radio', label: 'Deal Stage' }),
        defineProperty('pipeline', 'enumeration', { group: g, label: 'Pipeline' }),
        defineProperty('hs_deal_stage_probability', 'number', { group: g, calculated: true, readOnlyValue: true }),
        defineProperty('deal_currency_code', 'enumeration', { group: g, enumValues: ['USD', 'EUR', 'GBP', 'SEK'] }),
        defineProperty('dealtype', 'enumeration', { group: g, fieldType: 'radio', enumValues: ['newbusiness', 'existingbusiness'] }),
        defineProperty('description', 'string', { group: g, fieldType: 'textarea' }),
      ];
    }
    case 'tickets': {
      const g = 'ticketinformation';
      return [
        ...common(['createdate'], 'hs_lastmodifieddate', g),
        defineProperty('subject', 'string', { group: g, label: 'Ticket name' }),
        defineProperty('content', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('hs_pipeline', 'enumeration', { group: g }),
        defineProperty('hs_pipeline_stage', 'enumeration', { group: g }),
        defineProperty('hs_ticket_priority', 'enumeration', { group: g, enumValues: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] }),
        defineProperty('hs_ticket_category', 'enumeration', { group: g, fieldType: 'checkbox', enumValues: ['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY'] }),
      ];
    }
    case 'products': {
      const g = 'productinformation';
      return [
        ...common(['hs_createdate', 'createdate'], 'hs_lastmodifieddate', g),
        defineProperty('name', 'string', { group: g }),
        defineProperty('description', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('price', 'number', { group: g }),
        defineProperty('hs_sku', 'string', { group: g }),
        defineProperty('hs_recurring_billing_period', 'string', { group: g }),
      ];
    }
    case 'line_items': {
      const g = 'lineiteminformation';
      return [
        ...common(['hs_createdate', 'createdate'], 'hs_lastmodifieddate', g),
        defineProperty('name', 'string', { group: g }),
        defineProperty('price', 'number', { group: g }),
        defineProperty('quantity', 'number', { group: g }),
        defineProperty('amount', 'number', { group: g, calculated: true }),
        defineProperty('hs_product_id', 'number', { group: g }),
        defineProperty('hs_sku', 'string', { group: g }),
      ];
    }
    case 'quotes': {
      const g = 'quoteinformation';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_title', 'string', { group: g }),
        defineProperty('hs_expiration_date', 'datetime', { group: g }),
        defineProperty('hs_status', 'enumeration', { group: g, enumValues: ['DRAFT', 'APPROVAL_NOT_NEEDED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED'] }),
        defineProperty('hs_public_url_key', 'string', { group: g }),
      ];
    }
    case 'calls': {
      const g = 'call';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_timestamp', 'datetime', { group: g, label: 'Activity date' }),
        defineProperty('hs_call_title', 'string', { group: g }),
        defineProperty('hs_call_body', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('hs_call_duration', 'number', { group: g }),
        defineProperty('hs_call_direction', 'enumeration', { group: g, enumValues: ['INBOUND', 'OUTBOUND'] }),
        defineProperty('hs_call_status', 'enumeration', { group: g, enumValues: ['COMPLETED', 'BUSY', 'NO_ANSWER', 'FAILED', 'CANCELED'] }),
      ];
    }
    case 'emails': {
      const g = 'email';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_timestamp', 'datetime', { group: g, label: 'Activity date' }),
        defineProperty('hs_email_subject', 'string', { group: g }),
        defineProperty('hs_email_text', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('hs_email_direction', 'enumeration', { group: g, enumValues: ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL'] }),
        defineProperty('hs_email_status', 'enumeration', { group: g, enumValues: ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'] }),
      ];
    }
    case 'meetings': {
      const g = 'meeting';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_timestamp', 'datetime', { group: g, label: 'Activity date' }),
        defineProperty('hs_meeting_title', 'string', { group: g }),
        defineProperty('hs_meeting_body', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('hs_meeting_start_time', 'datetime', { group: g }),
        defineProperty('hs_meeting_end_time', 'datetime', { group: g }),
        defineProperty('hs_meeting_outcome', 'enumeration', { group: g, enumValues: ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'] }),
      ];
    }
    case 'notes': {
      const g = 'note';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_timestamp', 'datetime', { group: g, label: 'Activity date' }),
        defineProperty('hs_note_body', 'string', { group: g, fieldType: 'textarea' }),
      ];
    }
    case 'tasks': {
      const g = 'task';
      return [
        ...common(['hs_createdate'], 'hs_lastmodifieddate', g),
        defineProperty('hs_timestamp', 'datetime', { group: g, label: 'Due date' }),
        defineProperty('hs_task_subject', 'string', { group: g }),
        defineProperty('hs_task_body', 'string', { group: g, fieldType: 'textarea' }),
        defineProperty('hs_task_status', 'enumeration', { group: g, enumValues: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] }),
        defineProperty('hs_task_priority', 'enumeration', { group: g, enumValues: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] }),
        defineProperty('hs_task_type', 'enumeration', { group: g, enumValues: ['CALL', 'EMAIL', 'TODO'] }),
      ];
    }
    default:
      return [];
  }
}

/** Serializes a definition the way HubSpot's Properties API returns it. */
export function propertyToJson(p: PropertyDefinition, extraOptions?: PropertyOption[]): Record<string, unknown> {
  return {
    updatedAt: new Date(p.updatedAt).toISOString(),
    createdAt: new Date(p.createdAt).toISOString(),
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: extraOptions ?? p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.readOnlyValue,
    },
    formField: p.formField,
    archived: p.archived,
    ...(p.archivedAt ? { archivedAt: new Date(p.archivedAt).toISOString() } : {}),
    dataSensitivity: 'non_sensitive',
  };
}
