import { ExanteSyncMode } from '@hubsync/contracts';

/**
 * What an Exante sync covers (seed 000): its mode and its `deal_stages` filter. Deals in scope become
 * Documents; companies associated with them Parties; those companies' contacts Contacts — or, in
 * `catalog_only` mode, catalog entries only.
 */
export interface ExanteScope {
  mode: ExanteSyncMode;
  /** Null = every deal stage is eligible. */
  dealStages: string[] | null;
}

/** From a `sync.jobs` row's `mode` and `filters`; null when the job is not an Exante sync. */
export function exanteScopeFromJob(mode: unknown, filters: unknown): ExanteScope | null {
  if (mode !== 'full' && mode !== 'catalog_only') return null;
  const stages = filters && typeof filters === 'object' ? (filters as Record<string, unknown>)['dealStages'] : undefined;
  const dealStages = Array.isArray(stages) && stages.length ? stages.filter((s): s is string => typeof s === 'string') : null;
  return { mode, dealStages };
}

export function dealInScope(dealstage: string | null | undefined, scope: ExanteScope): boolean {
  return scope.dealStages === null || (!!dealstage && scope.dealStages.includes(dealstage));
}
