import { ViewSqlType, sqlTypeForHubspotType } from '../hubspot/property-sql-type';
import { allocateIdentifier } from './sql-identifiers';

/** PostgreSQL allows at most 1,600 columns in a relation; a view is one. */
export const POSTGRES_MAX_COLUMNS = 1600;
export const OBJECT_VIEW_SYSTEM_COLUMNS = ['id', 'created_at', 'updated_at'] as const;

export interface ViewProperty {
  name: string;
  type: string;
  archived?: boolean;
}

export interface ViewColumn {
  property: string;
  column: string;
  sqlType: ViewSqlType;
}

export interface PlannedView {
  name: string;
  /** 1 for the main view (with the system columns), 2… for the numbered continuation views. */
  part: number;
  columns: ViewColumn[];
}

export interface ObjectViewPlan {
  objectType: string;
  views: PlannedView[];
  /** property → (view, column): the name map users read when names were long or collided. */
  nameMap: (ViewColumn & { view: string })[];
}

/** A readable view name: custom objects' fully qualified `p<portal>_<name>` becomes `<name>`. */
export function baseViewName(objectType: string, fullyQualifiedName?: string | null): string {
  const fq = fullyQualifiedName && /^p\d+_(.+)$/i.exec(fullyQualifiedName);
  if (fq) return fq[1].toLowerCase();
  const own = /^p\d+_(.+)$/i.exec(objectType);
  return own ? own[1].toLowerCase() : objectType;
}

/**
 * Lays out one object type's typed views: one column per live property, split into numbered views of
 * at most `maxPropertiesPerView` property columns (each also carries `id` to join on). Column names are
 * unique across the parts so the parts can be joined without clashes. Deterministic for a given input.
 */
export function planObjectViews(input: {
  objectType: string;
  baseName: string;
  properties: ViewProperty[];
  takenViewNames: ReadonlySet<string>;
  maxPropertiesPerView: number;
}): ObjectViewPlan {
  const max = Math.floor(input.maxPropertiesPerView);
  if (!(max >= 1 && max <= POSTGRES_MAX_COLUMNS - OBJECT_VIEW_SYSTEM_COLUMNS.length)) {
    throw new Error(`maxPropertiesPerView must be between 1 and ${POSTGRES_MAX_COLUMNS - OBJECT_VIEW_SYSTEM_COLUMNS.length}`);
  }
  const live = dedupeByName(input.properties.filter((p) => !p.archived)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const takenColumns = new Set<string>(OBJECT_VIEW_SYSTEM_COLUMNS);
  const columns: ViewColumn[] = live.map((p) => {
    const column = allocateIdentifier(p.name, takenColumns);
    takenColumns.add(column);
    return { property: p.name, column, sqlType: sqlTypeForHubspotType(p.type) };
  });

  const parts = Math.max(1, Math.ceil(columns.length / max));
  const takenViews = new Set(input.takenViewNames);
  const views: PlannedView[] = [];
  for (let part = 1; part <= parts; part++) {
    const wanted = part === 1 ? input.baseName : `${input.baseName}_${part}`;
    const name = allocateIdentifier(wanted, takenViews);
    takenViews.add(name);
    views.push({ name, part, columns: columns.slice((part - 1) * max, part * max) });
  }
  const nameMap = views.flatMap((v) => v.columns.map((c) => ({ ...c, view: v.name })));
  return { objectType: input.objectType, views, nameMap };
}

function dedupeByName(properties: ViewProperty[]): ViewProperty[] {
  const seen = new Map<string, ViewProperty>();
  for (const p of properties) if (!seen.has(p.name)) seen.set(p.name, p);
  return [...seen.values()];
}
