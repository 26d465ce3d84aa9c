/**
 * Association types (v4): each direction of a pair has its own typeId; labels are per direction.
 *
 * HubSpot-defined ids below come from the v4 associations guide, table "Association type ID values"
 * (developers.hubspot.com/docs/api-reference/crm-associations-v4/guide). Categories
 * HUBSPOT_DEFINED | USER_DEFINED | INTEGRATOR_DEFINED: SDK AssociationSpecWithLabelCategoryEnum
 * (lib/codegen/crm/associations/v4/models/AssociationSpecWithLabel.d.ts). "Primary" labels on the
 * company associations: changelog "Changes to primary labels for HubSpot-defined association
 * labels" (2024-02) — labels are informative only, integrations must use typeId.
 */
export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

export interface AssociationTypeDef {
  typeId: number;
  inverseTypeId: number;
  category: AssociationCategory;
  label: string | null;
  /** v3-style name used in `associations` of list/get responses (e.g. contact_to_company_unlabeled). */
  name: string;
  /** The unlabeled default type of the pair, present on every association. */
  isDefault: boolean;
}

/** [from, to, unlabeledTypeId, inverse, primaryTypeId?, primaryInverse?] */
const HUBSPOT_DEFINED: Array<[string, string, number, number, number?, number?]> = [
  ['contacts', 'companies', 279, 280, 1, 2],
  ['deals', 'contacts', 3, 4],
  ['deals', 'companies', 341, 342, 5, 6],
  ['tickets', 'contacts', 16, 15],
  ['tickets', 'companies', 339, 340, 26, 25],
  ['deals', 'tickets', 27, 28],
  ['deals', 'line_items', 19, 20],
  ['calls', 'contacts', 194, 193],
  ['calls', 'companies', 182, 181],
  ['calls', 'deals', 206, 205],
  ['calls', 'tickets', 220, 219],
  ['emails', 'contacts', 198, 197],
  ['emails', 'companies', 186, 185],
  ['emails', 'deals', 210, 209],
  ['emails', 'tickets', 224, 223],
  ['meetings', 'contacts', 200, 199],
  ['meetings', 'companies', 188, 187],
  ['meetings', 'deals', 212, 211],
  ['meetings', 'tickets', 226, 225],
  ['notes', 'contacts', 202, 201],
  ['notes', 'companies', 190, 189],
  ['notes', 'deals', 214, 213],
  ['notes', 'tickets', 228, 227],
  ['tasks', 'contacts', 204, 203],
  ['tasks', 'companies', 192, 191],
  ['tasks', 'deals', 216, 215],
  ['tasks', 'tickets', 230, 229],
  ['quotes', 'deals', 64, 63],
  ['quotes', 'line_items', 67, 68],
  ['quotes', 'contacts', 69, 70],
  ['quotes', 'companies', 71, 72],
];

const SINGULAR: Record<string, string> = {
  contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket', line_items: 'line_item', products: 'product',
  quotes: 'quote', calls: 'call', emails: 'email', meetings: 'meeting', notes: 'note', tasks: 'task',
};

/** Directed pair key. */
export const pairKey = (fromTypeId: string, toTypeId: string) => `${fromTypeId}>${toTypeId}`;

/**
 * Association type definitions for one portal: the HubSpot-defined ones plus labels and custom
 * object pairs created at run time.
 */
export class AssociationTypeRegistry {
  private readonly byPair = new Map<string, AssociationTypeDef[]>();
  private readonly byTypeId = new Map<number, { from: string; to: string; def: AssociationTypeDef }>();
  private nextUserTypeId = 1000;

  constructor(typeIdOf: (name: string) => string) {
    for (const [from, to, unlabeled, inverse, primary, primaryInverse] of HUBSPOT_DEFINED) {
      const f = typeIdOf(from);
      const t = typeIdOf(to);
      const fs = SINGULAR[from];
      const ts = SINGULAR[to];
      this.add(f, t, { typeId: unlabeled, inverseTypeId: inverse, category: 'HUBSPOT_DEFINED', label: null, name: primary ? `${fs}_to_${ts}_unlabeled` : `${fs}_to_${ts}`, isDefault: true });
      this.add(t, f, { typeId: inverse, inverseTypeId: unlabeled, category: 'HUBSPOT_DEFINED', label: null, name: primary ? `${ts}_to_${fs}_unlabeled` : `${ts}_to_${fs}`, isDefault: true });
      if (primary && primaryInverse) {
        this.add(f, t, { typeId: primary, inverseTypeId: primaryInverse, category: 'HUBSPOT_DEFINED', label: 'Primary', name: `${fs}_to_${ts}`, isDefault: false });
        // The inverse of a primary association is a plain labeled link from the company side.
        this.add(t, f, { typeId: primaryInverse, inverseTypeId: primary, category: 'HUBSPOT_DEFINED', label: 'Primary', name: `${ts}_to_${fs}`, isDefault: false });
      }
    }
  }

  private add(from: string, to: string, def: AssociationTypeDef): void {
    const key = pairKey(from, to);
    const list = this.byPair.get(key) ?? [];
    list.push(def);
    this.byPair.set(key, list);
    this.byTypeId.set(def.typeId, { from, to, def });
  }

  /** Definitions for a pair, creating the pair's default type when the pair is new (custom objects). */
  definitions(from: string, to: string): AssociationTypeDef[] {
    const key = pairKey(from, to);
    let list = this.byPair.get(key);
    if (!list) {
      this.ensurePair(from, to, `${from}_to_${to}`.replace(/-/g, '_'));
      list = this.byPair.get(key) ?? [];
    }
    return list;
  }

  hasPair(from: string, to: string): boolean {
    return this.byPair.has(pairKey(from, to));
  }

  /** Registers an unlabeled pair (custom object associations are USER_DEFINED). */
  ensurePair(from: string, to: string, name: string): void {
    if (this.byPair.has(pairKey(from, to))) return;
    const id = this.nextUserTypeId;
    this.nextUserTypeId += 2;
    this.add(from, to, { typeId: id, inverseTypeId: id + 1, category: 'USER_DEFINED', label: null, name, isDefault: true });
    if (from !== to) this.add(to, from, { typeId: id + 1, inverseTypeId: id, category: 'USER_DEFINED', label: null, name: `${name}_inverse`, isDefault: true });
  }

  /** A USER_DEFINED label for both directions of a pair; returns the from→to type id. */
  addLabel(from: string, to: string, label: string, inverseLabel = label): number {
    const existing = this.definitions(from, to).find((d) => d.label === label && d.category === 'USER_DEFINED');
    if (existing) return existing.typeId;
    const id = this.nextUserTypeId;
    this.nextUserTypeId += 2;
    const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    this.add(from, to, { typeId: id, inverseTypeId: id + 1, category: 'USER_DEFINED', label, name: slug, isDefault: false });
    this.add(to, from, { typeId: id + 1, inverseTypeId: id, category: 'USER_DEFINED', label: inverseLabel, name: `${slug}_inverse`, isDefault: false });
    return id;
  }

  find(typeId: number): { from: string; to: string; def: AssociationTypeDef } | undefined {
    return this.byTypeId.get(typeId);
  }

  defaultType(from: string, to: string): AssociationTypeDef {
    const defs = this.definitions(from, to);
    return defs.find((d) => d.isDefault) ?? defs[0];
  }
}
