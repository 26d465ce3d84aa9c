import { SyncJobFilters } from '@hubsync/contracts';
import { assertFilterBudget, criteriaToFilters, MAX_CURSOR_FILTERS, SearchFilter, SearchLimits, SearchQueryError } from '@hubsync/hubspot';
import { SchemaCatalog } from '../../schema/schema-catalog';

/**
 * A job's OpsHub/Stanna criteria as Search filter groups per object type, validated before any data
 * call (issue 5 §6): shape and filter counts first (counting the filters the sync adds itself to each
 * group — by default the cursor's two; an Exante deal search adds its stage filter, the Exante gate
 * of reached companies/contacts adds only its `hs_object_id IN`), then every field against the type's
 * properties. Throws a SearchQueryError naming the offending field.
 */
export async function compileCriteria(
  filters: SyncJobFilters,
  objectTypes: string[],
  schema: SchemaCatalog,
  limits: SearchLimits,
  systemFilters: (objectType: string) => number = () => MAX_CURSOR_FILTERS,
): Promise<Record<string, SearchFilter[][]>> {
  const criteria = filters.criteria ?? {};
  if (typeof criteria !== 'object' || Array.isArray(criteria)) throw new SearchQueryError('criteria', 'criteria must be an object keyed by object type');
  const out: Record<string, SearchFilter[][]> = {};
  for (const [objectType, list] of Object.entries(criteria)) {
    if (!objectTypes.includes(objectType)) continue;
    const shaped = criteriaToFilters(list, objectType);
    assertFilterBudget([shaped], systemFilters(objectType), limits);
  }
  for (const [objectType, list] of Object.entries(criteria)) {
    if (!objectTypes.includes(objectType) || !Array.isArray(list) || list.length === 0) continue;
    out[objectType] = [criteriaToFilters(list, objectType, await schema.propertyInfo(objectType))];
  }
  return out;
}

/** Exante's deal-stage filter (`dealstage IN …`, enumeration values keep their case). */
export function dealStageFilter(filters: SyncJobFilters): SearchFilter[] {
  const stages = filters.dealStages;
  if (!stages || stages.length === 0) return [];
  if (!Array.isArray(stages) || stages.some((s) => typeof s !== 'string' || s === '')) {
    throw new SearchQueryError('dealStages', 'deal_stages must be a list of stage ids');
  }
  return [{ propertyName: 'dealstage', operator: 'IN', values: stages }];
}
