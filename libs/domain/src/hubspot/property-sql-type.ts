/**
 * The SQL type a HubSpot property type implies in the typed views (issue 6 §2).
 * HubSpot property types: string, number, date, datetime, enumeration, bool, phone_number, json,
 * object_coordinates (HUBSPOT-FACTS.md "Pipelines, properties, owners": `GET /crm/v3/properties/{type}` → `type`).
 */
export type ViewSqlType = 'numeric' | 'timestamptz' | 'date' | 'boolean' | 'text';

export function sqlTypeForHubspotType(hubspotType: string | null | undefined): ViewSqlType {
  switch ((hubspotType ?? '').toLowerCase()) {
    case 'number':
      return 'numeric';
    case 'datetime':
      return 'timestamptz';
    case 'date':
      return 'date';
    case 'bool':
    case 'boolean':
      return 'boolean';
    default:
      // enumeration, string, phone_number, json, object_coordinates and anything new stay text.
      return 'text';
  }
}
