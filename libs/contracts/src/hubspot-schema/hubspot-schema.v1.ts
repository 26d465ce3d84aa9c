/** Property metadata for one object type, from schema introspection. */
export const HUBSPOT_SCHEMA_V1 = 'hubspot.schema.v1';

export interface HubspotPropertyDefinitionV1 {
  name: string;
  label: string;
  /** HubSpot type: string, number, date, datetime, enumeration, bool, phone_number, … */
  type: string;
  fieldType: string;
  groupName?: string;
  hubspotDefined?: boolean;
  calculated?: boolean;
  hasUniqueValue?: boolean;
  options?: { label: string; value: string }[];
  archived?: boolean;
}

export interface HubspotSchemaV1 {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  objectType: string;
  /** `2-…` for custom objects; the type name for standard ones. */
  objectTypeId: string;
  fullyQualifiedName?: string;
  isCustom: boolean;
  properties: HubspotPropertyDefinitionV1[];
  introspectedAt: string;
}
