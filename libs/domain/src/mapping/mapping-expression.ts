/**
 * Property-mapping expressions (issue 6 §5): a target field takes a HubSpot property or an expression
 * over properties. JSON so it can be stored in `sync.property_mappings.source` and sent over REST.
 *
 *   "dealname"                                         a property (shorthand)
 *   { "property": "dealname" }
 *   { "literal": 42 }
 *   { "concat": [<expr>…], "separator": " " }          non-empty parts joined
 *   { "divide": [<expr>, <expr>] }                     number ÷ number (÷ 0 → null)
 *   { "firstNonEmpty": [<expr>…] }
 *   { "lookup": <expr>, "table": { "a": "b" }, "default": null }
 *   { "dateParse": <expr>, "format": "iso" | "epoch_ms" | "epoch_s" | "YYYY-MM-DD" | "DD/MM/YYYY" | "MM/DD/YYYY" | "DD.MM.YYYY" }
 */
export type MappingValue = string | number | boolean | null;

export type MappingExpression =
  | string
  | { property: string }
  | { literal: MappingValue }
  | { concat: MappingExpression[]; separator?: string }
  | { divide: [MappingExpression, MappingExpression] }
  | { firstNonEmpty: MappingExpression[] }
  | { lookup: MappingExpression; table: Record<string, MappingValue>; default?: MappingValue }
  | { dateParse: MappingExpression; format?: DateFormat };

export const DATE_FORMATS = ['iso', 'epoch_ms', 'epoch_s', 'YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export type PropertyBag = Readonly<Record<string, string | null | undefined>>;

export function evaluateExpression(expr: MappingExpression, props: PropertyBag): MappingValue {
  if (typeof expr === 'string') return propertyValue(props, expr);
  if ('property' in expr) return propertyValue(props, expr.property);
  if ('literal' in expr) return expr.literal;
  if ('concat' in expr) {
    const parts = expr.concat.map((e) => evaluateExpression(e, props)).filter((v) => !isEmpty(v)).map(String);
    return parts.length ? parts.join(expr.separator ?? '') : null;
  }
  if ('divide' in expr) {
    const a = toNumber(evaluateExpression(expr.divide[0], props));
    const b = toNumber(evaluateExpression(expr.divide[1], props));
    return a === null || b === null || b === 0 ? null : a / b;
  }
  if ('firstNonEmpty' in expr) {
    for (const e of expr.firstNonEmpty) {
      const v = evaluateExpression(e, props);
      if (!isEmpty(v)) return v;
    }
    return null;
  }
  if ('lookup' in expr) {
    const key = evaluateExpression(expr.lookup, props);
    if (key !== null && Object.prototype.hasOwnProperty.call(expr.table, String(key))) return expr.table[String(key)];
    return expr.default ?? null;
  }
  if ('dateParse' in expr) return parseDate(evaluateExpression(expr.dateParse, props), expr.format ?? 'iso');
  return null;
}

/** Every property an expression reads (for validation and for knowing which properties a mapping consumes). */
export function referencedProperties(expr: MappingExpression): string[] {
  if (typeof expr === 'string') return [expr];
  if ('property' in expr) return [expr.property];
  if ('literal' in expr) return [];
  if ('concat' in expr) return expr.concat.flatMap(referencedProperties);
  if ('divide' in expr) return expr.divide.flatMap(referencedProperties);
  if ('firstNonEmpty' in expr) return expr.firstNonEmpty.flatMap(referencedProperties);
  if ('lookup' in expr) return referencedProperties(expr.lookup);
  if ('dateParse' in expr) return referencedProperties(expr.dateParse);
  return [];
}

function propertyValue(props: PropertyBag, name: string): MappingValue {
  const v = Object.prototype.hasOwnProperty.call(props, name) ? props[name] : undefined;
  return v === undefined || v === '' ? null : v;
}

function isEmpty(v: MappingValue): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

export function toNumber(v: MappingValue | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return null;
  const s = v.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Parses to an ISO-8601 string (`YYYY-MM-DD` for day formats, full timestamp otherwise); null if invalid. */
export function parseDate(v: MappingValue, format: DateFormat): string | null {
  if (v === null || typeof v === 'boolean') return null;
  const s = String(v).trim();
  if (s === '') return null;
  if (format === 'epoch_ms' || format === 'epoch_s') {
    if (!/^\d+$/.test(s)) return null;
    const ms = Number(s) * (format === 'epoch_s' ? 1000 : 1);
    return Number.isFinite(ms) && ms <= 253402300799999 ? new Date(ms).toISOString() : null;
  }
  if (format === 'iso') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return dayOrNull(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
    if (!/^\d{4}-\d{2}-\d{2}[T ]/.test(s) || dayOrNull(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) === null) return null;
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const m = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/.exec(s);
  if (!m) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (format === 'YYYY-MM-DD') return dayOrNull(a, b, c);
  if (format === 'MM/DD/YYYY') return dayOrNull(c, a, b);
  return dayOrNull(c, b, a); // DD/MM/YYYY and DD.MM.YYYY
}

function dayOrNull(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
