import { ViewSqlType } from '../hubspot/property-sql-type';
import { PlannedView } from './typed-view-layout';
import { quoteIdent, quoteLiteral } from './sql-identifiers';

/**
 * SQL of the typed views. Values are cast with the `hubspot.as_*` functions of the mirror migration,
 * which return NULL instead of failing on a glitched value, so a stray string never breaks a query.
 */
const CAST_FUNCTION: Record<ViewSqlType, string | null> = {
  numeric: 'hubspot.as_numeric',
  timestamptz: 'hubspot.as_timestamptz',
  date: 'hubspot.as_date',
  boolean: 'hubspot.as_boolean',
  text: null,
};

export function columnExpression(property: string, sqlType: ViewSqlType): string {
  const raw = `o.properties ->> ${quoteLiteral(property)}`;
  const cast = CAST_FUNCTION[sqlType];
  return cast ? `${cast}(${raw})` : raw;
}

export function createObjectViewSql(schema: string, view: PlannedView, organizationUid: string, objectType: string): string {
  const select = [
    `o.id AS ${quoteIdent('id')}`,
    ...(view.part === 1 ? [`o.created_at AS ${quoteIdent('created_at')}`, `o.updated_at AS ${quoteIdent('updated_at')}`] : []),
    ...view.columns.map((c) => `${columnExpression(c.property, c.sqlType)} AS ${quoteIdent(c.column)}`),
  ];
  return (
    `CREATE VIEW ${quoteIdent(schema)}.${quoteIdent(view.name)} AS SELECT ${select.join(', ')} ` +
    `FROM hubspot.objects o WHERE o.organization_uid = ${quoteLiteral(organizationUid)}::uuid ` +
    `AND o.object_type = ${quoteLiteral(objectType)} AND NOT o.archived`
  );
}

/** `associations_<a>_<b>`, like Sequin's association tables. */
export function associationViewBaseName(fromType: string, toType: string): string {
  return `associations_${fromType}_${toType}`;
}

export function createAssociationViewSql(schema: string, viewName: string, organizationUid: string, fromType: string, toType: string): string {
  return (
    `CREATE VIEW ${quoteIdent(schema)}.${quoteIdent(viewName)} AS SELECT a.from_id, a.to_id, a.type_id, a.label, a.category ` +
    `FROM hubspot.associations a WHERE a.organization_uid = ${quoteLiteral(organizationUid)}::uuid ` +
    `AND a.from_type = ${quoteLiteral(fromType)} AND a.to_type = ${quoteLiteral(toType)}`
  );
}

export function dropViewSql(schema: string, viewName: string): string {
  return `DROP VIEW IF EXISTS ${quoteIdent(schema)}.${quoteIdent(viewName)}`;
}
