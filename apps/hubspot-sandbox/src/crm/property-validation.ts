import { validationError } from '../http/hubspot-error';
import { ObjectTypeInfo, Portal } from './portal';
import { parseTime } from './search/filter-semantics';

interface Problem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/** Allowed values of an enumeration property (pipelines and owners are looked up live). */
export function enumerationOptions(portal: Portal, info: ObjectTypeInfo, name: string): string[] | null {
  if (name === 'hubspot_owner_id') return portal.owners.filter((o) => !o.archived).map((o) => o.id);
  if (info.objectTypeId === '0-3' && name === 'pipeline') return (portal.pipelines.get('0-3') ?? []).map((p) => p.id);
  if (info.objectTypeId === '0-3' && name === 'dealstage') return (portal.pipelines.get('0-3') ?? []).flatMap((p) => p.stages.map((s) => s.id));
  if (info.objectTypeId === '0-5' && name === 'hs_pipeline') return (portal.pipelines.get('0-5') ?? []).map((p) => p.id);
  if (info.objectTypeId === '0-5' && name === 'hs_pipeline_stage') return (portal.pipelines.get('0-5') ?? []).flatMap((p) => p.stages.map((s) => s.id));
  const def = info.properties.get(name);
  if (!def || def.type !== 'enumeration' || def.options.length === 0) return null;
  return def.options.map((o) => o.value);
}

/**
 * Validates and normalises written property values the way HubSpot does: unknown properties,
 * read-only values, invalid enumeration options, numbers and dates are rejected with
 * 400 VALIDATION_ERROR "Property values were not valid: [...]" (HubSpot CRM objects API errors);
 * datetimes are stored as ISO instants, contact emails lower-cased.
 */
export function validatePropertyValues(portal: Portal, info: ObjectTypeInfo, input: unknown, where = 'properties'): Record<string, string | null> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw validationError(`${where} must be an object of property name → value`);
  const out: Record<string, string | null> = {};
  const problems: Problem[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (raw !== null && !['string', 'number', 'boolean'].includes(typeof raw)) {
      problems.push({ isValid: false, message: `${raw} is not a valid value for property ${name}`, error: 'INVALID_VALUE', name });
      continue;
    }
    const def = info.properties.get(name);
    if (!def || def.archived) {
      problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      continue;
    }
    if (def.readOnlyValue) {
      problems.push({ isValid: false, message: `${name} is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
      continue;
    }
    const value = raw === null ? '' : String(raw);
    if (value === '') {
      out[name] = null;
      continue;
    }
    switch (def.type) {
      case 'number':
        if (!Number.isFinite(Number(value.trim()))) {
          problems.push({ isValid: false, message: `${value} was not a valid number.`, error: 'INVALID_DECIMAL', name });
          continue;
        }
        out[name] = value.trim();
        break;
      case 'datetime':
      case 'date': {
        const t = parseTime(value);
        if (Number.isNaN(t)) {
          problems.push({ isValid: false, message: `${value} was not a valid date/time (use epoch milliseconds or ISO 8601).`, error: 'INVALID_DATE', name });
          continue;
        }
        if (def.type === 'date' && t % 86_400_000 !== 0) {
          problems.push({ isValid: false, message: `${value} is not midnight UTC; date properties take midnight UTC.`, error: 'INVALID_DATE', name });
          continue;
        }
        out[name] = def.type === 'date' ? new Date(t).toISOString().slice(0, 10) : new Date(t).toISOString();
        break;
      }
      case 'bool':
        if (!['true', 'false'].includes(value.toLowerCase())) {
          problems.push({ isValid: false, message: `${value} was not a valid boolean (true/false).`, error: 'INVALID_BOOLEAN', name });
          continue;
        }
        out[name] = value.toLowerCase();
        break;
      case 'enumeration': {
        const options = enumerationOptions(portal, info, name);
        const values = def.fieldType === 'checkbox' ? value.split(';') : [value];
        const bad = options ? values.filter((v) => !options.includes(v)) : [];
        if (options && bad.length > 0) {
          problems.push({ isValid: false, message: `${bad[0]} was not one of the allowed options: ${options.slice(0, 20).join(', ')}`, error: 'INVALID_OPTION', name });
          continue;
        }
        out[name] = value;
        break;
      }
      default:
        out[name] = info.objectTypeId === '0-1' && name === 'email' ? value.trim().toLowerCase() : value;
    }
  }
  if (problems.length > 0) {
    throw validationError(`Property values were not valid: ${JSON.stringify(problems)}`, {
      errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
    });
  }
  return out;
}
