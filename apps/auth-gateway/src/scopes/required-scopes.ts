import {
  CUSTOM_OBJECTS_READ_SCOPE,
  isCustomObjectType,
  OWNERS_READ_SCOPE,
  standardObjectType,
} from '@hubsync/contracts';

/** One thing the sync needs; any of `anyOf` grants it. It is named (and requested) by `anyOf[0]`. */
export interface ScopeRequirement {
  anyOf: string[];
  /** Why it is needed (shown nowhere but tests and logs; helps reviewers). */
  reason: string;
}

export interface ScopePlan {
  /** Sent as `scope`: the install fails rather than yielding a connection that cannot sync them. */
  required: ScopeRequirement[];
  /** Sent as `optional_scope`: granted when the portal's tier allows, never reported missing. */
  optional: string[];
}

export class UnknownObjectTypeError extends Error {
  constructor(readonly objectType: string) {
    super(`object type "${objectType}" is neither a standard HubSpot object type nor a custom object type (2-<id> or p<portal>_<name>)`);
    this.name = 'UnknownObjectTypeError';
  }
}

// Property/schema reads: `crm.schemas.<type>.read` exists for contacts, companies and deals (HubSpot
// scopes reference, developers.hubspot.com/docs/api/scopes); other standard types' properties come
// with their object read scope.
const SCHEMA_SCOPES: Record<string, string> = {
  contacts: 'crm.schemas.contacts.read',
  companies: 'crm.schemas.companies.read',
  deals: 'crm.schemas.deals.read',
};
const CUSTOM_SCHEMAS_READ_SCOPE = 'crm.schemas.custom.read';

/**
 * Scopes the sync of `objectTypes` needs (issue 4 item 4). Owners are always mirrored, so their scope
 * is always required. Custom objects need the custom-object scopes; when none is selected those are
 * asked for optionally so custom objects can be discovered on portals whose tier has them.
 */
export function scopePlanFor(objectTypes: readonly string[]): ScopePlan {
  const required: ScopeRequirement[] = [];
  const optional: string[] = [];
  const add = (anyOf: string[], reason: string) => {
    if (!required.some((r) => r.anyOf[0] === anyOf[0])) required.push({ anyOf, reason });
  };
  let customSelected = false;
  for (const raw of objectTypes) {
    const name = raw.trim();
    const standard = standardObjectType(name);
    if (standard) {
      add(standard.readScopes, `read ${name}`);
      if (SCHEMA_SCOPES[name]) optional.push(SCHEMA_SCOPES[name]);
    } else if (isCustomObjectType(name)) {
      customSelected = true;
    } else {
      throw new UnknownObjectTypeError(name);
    }
  }
  add([OWNERS_READ_SCOPE], 'read owners');
  if (customSelected) {
    add([CUSTOM_OBJECTS_READ_SCOPE], 'read custom objects');
    add([CUSTOM_SCHEMAS_READ_SCOPE], 'read custom object schemas');
  } else {
    optional.push(CUSTOM_OBJECTS_READ_SCOPE, CUSTOM_SCHEMAS_READ_SCOPE);
  }
  const requiredNames = new Set(required.flatMap((r) => r.anyOf));
  return { required, optional: [...new Set(optional)].filter((s) => !requiredNames.has(s)) };
}

/** The scope names to request as `scope`. */
export function requestedScopes(plan: ScopePlan): string[] {
  return plan.required.map((r) => r.anyOf[0]);
}

/** Requirements the granted scopes do not satisfy, each by its name (never a silent partial sync). */
export function missingScopes(plan: ScopePlan, granted: readonly string[]): string[] {
  const have = new Set(granted);
  return plan.required.filter((r) => !r.anyOf.some((s) => have.has(s))).map((r) => r.anyOf[0]);
}

/** Parses `contacts, companies` (query/config form) into trimmed, de-duplicated names. */
export function parseObjectTypeList(value: string): string[] {
  return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
}
