import { Sql } from '../database/mapper-database';

export interface LinkedId {
  id: string;
  other_type: string;
  other_id: string;
  type_id: number;
  label: string | null;
}

/**
 * Objects linked to `ids` (of `objectType`) among `otherTypes`, whichever direction the association
 * was stored in (a sweep may run contacts→companies or companies→contacts).
 */
export async function linkedIds(sql: Sql, organizationUid: string, objectType: string, ids: string[], otherTypes: string[]): Promise<LinkedId[]> {
  if (ids.length === 0 || otherTypes.length === 0) return [];
  return sql.query<LinkedId>(
    `SELECT from_id AS id, to_type AS other_type, to_id AS other_id, type_id, label FROM hubspot.associations
      WHERE organization_uid = $1 AND from_type = $2 AND to_type = ANY($3::text[]) AND from_id = ANY($4::text[])
     UNION
     SELECT to_id, from_type, from_id, type_id, label FROM hubspot.associations
      WHERE organization_uid = $1 AND to_type = $2 AND from_type = ANY($3::text[]) AND to_id = ANY($4::text[])`,
    [organizationUid, objectType, otherTypes, ids],
  );
}

export function groupLinks(links: LinkedId[]): Map<string, LinkedId[]> {
  const out = new Map<string, LinkedId[]>();
  for (const l of links) {
    const list = out.get(l.id);
    if (list) list.push(l);
    else out.set(l.id, [l]);
  }
  return out;
}

/** HubSpot ids are numeric strings: order them numerically, then as text. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function uniqueIds(ids: Iterable<string | null | undefined>): string[] {
  return [...new Set([...ids].filter((x): x is string => typeof x === 'string' && x !== ''))].sort(compareIds);
}
