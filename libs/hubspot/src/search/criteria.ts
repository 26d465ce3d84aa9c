import { OpsHubCriterion } from '@hubsync/contracts';
import { parseTimestamp } from './search-cursor';
import { SearchQueryError } from './search-query-error';
import { SearchFilter, SearchOperator } from './search-types';

/** What criteria validation needs to know about a property (from `/crm/v3/properties/{type}`). */
export interface PropertyInfo {
  name: string;
  /** HubSpot type: string, number, date, datetime, enumeration, bool, phone_number, … */
  type: string;
  fieldType?: string;
}

const CONDITION_OPERATORS: Record<OpsHubCriterion['condition'], SearchOperator> = {
  EQUALS: 'EQ',
  NOT_EQUALS: 'NEQ',
  GREATER_THAN: 'GT',
  LESS_THAN: 'LT',
  IN: 'IN',
  CONTAINS: 'CONTAINS_TOKEN',
};

/**
 * OpsHub criteria (seed 004: `[{ "condition", "field", "value" }]`, all ANDed — OpsHub does not
 * group) → Search filters. Refuses, naming the field: an unknown property (when the property list is
 * known), an unknown condition, a text property compared with `null` ("the query will not execute if
 * the field value is null", seed 004), a value of the wrong shape, an unparseable date.
 */
export function criteriaToFilters(criteria: unknown, objectType: string, properties?: ReadonlyMap<string, PropertyInfo>): SearchFilter[] {
  if (!Array.isArray(criteria)) throw new SearchQueryError('criteria', `criteria for ${objectType} must be an array of { condition, field, value }`);
  return criteria.map((raw, i) => criterionToFilter(raw, i, objectType, properties));
}

function criterionToFilter(raw: unknown, index: number, objectType: string, properties?: ReadonlyMap<string, PropertyInfo>): SearchFilter {
  const c = raw as Partial<OpsHubCriterion> | null;
  if (!c || typeof c !== 'object') throw new SearchQueryError(`criteria[${index}]`, `criteria[${index}] for ${objectType} must be an object`);
  const field = c.field;
  if (typeof field !== 'string' || field.trim() === '') throw new SearchQueryError(`criteria[${index}].field`, `criteria[${index}].field for ${objectType} must be a property name`);
  const operator = CONDITION_OPERATORS[c.condition as OpsHubCriterion['condition']];
  if (!operator) {
    throw new SearchQueryError(field, `criteria on "${field}": unknown condition ${JSON.stringify(c.condition)} (use ${Object.keys(CONDITION_OPERATORS).join(', ')})`);
  }
  const property = properties?.get(field);
  if (properties && !property) throw new SearchQueryError(field, `criteria on "${field}": ${objectType} has no property "${field}"`);
  const value = c.value;

  if (value === null || value === undefined) {
    if (!property || isTextProperty(property)) {
      throw new SearchQueryError(field, `criteria on text property "${field}" of ${objectType} needs a value: HubSpot will not run a text filter with null`);
    }
    if (c.condition === 'EQUALS') return { propertyName: field, operator: 'NOT_HAS_PROPERTY' };
    if (c.condition === 'NOT_EQUALS') return { propertyName: field, operator: 'HAS_PROPERTY' };
    throw new SearchQueryError(field, `criteria on "${field}": ${c.condition} needs a value`);
  }

  if (c.condition === 'IN') {
    if (!Array.isArray(value) || value.length === 0) throw new SearchQueryError(field, `criteria on "${field}": IN needs a non-empty array of values`);
    // `IN` on string properties matches lower-case values (HUBSPOT-FACTS "Search"); enumerations keep case.
    const values = value.map((v) => scalarToString(v, field, property));
    return { propertyName: field, operator, values: property && isTextProperty(property) ? values.map((v) => v.toLowerCase()) : values };
  }
  if (Array.isArray(value)) throw new SearchQueryError(field, `criteria on "${field}": ${c.condition} takes a single value, not an array`);
  return { propertyName: field, operator, value: scalarToString(value, field, property) };
}

function scalarToString(value: unknown, field: string, property?: PropertyInfo): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SearchQueryError(field, `criteria on "${field}": ${value} is not a usable number`);
    return String(value);
  }
  if (typeof value !== 'string') throw new SearchQueryError(field, `criteria on "${field}": values must be strings, numbers or booleans`);
  if (property && (property.type === 'datetime' || property.type === 'date')) {
    // Date filters are sent as epoch milliseconds, the form HubSpot documents for date comparisons.
    const ms = parseTimestamp(value);
    if (ms === null) throw new SearchQueryError(field, `criteria on "${field}": "${value}" is not a date`);
    return String(ms);
  }
  return value;
}

export function isTextProperty(property: PropertyInfo): boolean {
  return property.type === 'string' || property.type === 'phone_number' || property.fieldType === 'text' || property.fieldType === 'textarea';
}
