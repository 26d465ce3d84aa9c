/**
 * Response-shape comparison for the live contract check: two JSON bodies are reduced to their
 * shapes (keys and JSON types, arrays merged over their elements) and compared.
 */
export type Shape =
  | { kind: 'null' | 'string' | 'number' | 'boolean' }
  | { kind: 'array'; element: Shape | null }
  | { kind: 'object'; keys: Record<string, Shape> }
  | { kind: 'mixed'; variants: Shape[] };

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: 'null' };
  if (Array.isArray(value)) return { kind: 'array', element: value.length === 0 ? null : value.map(shapeOf).reduce(merge) };
  if (typeof value === 'object') {
    const keys: Record<string, Shape> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) keys[k] = shapeOf(v);
    return { kind: 'object', keys };
  }
  const t = typeof value;
  return { kind: t === 'number' || t === 'boolean' ? t : 'string' };
}

/** Union of two shapes (object keys merged, so optional keys show up once). */
export function merge(a: Shape, b: Shape): Shape {
  if (a.kind === 'object' && b.kind === 'object') {
    const keys: Record<string, Shape> = { ...a.keys };
    for (const [k, v] of Object.entries(b.keys)) keys[k] = k in keys ? merge(keys[k], v) : v;
    return { kind: 'object', keys };
  }
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: a.element && b.element ? merge(a.element, b.element) : a.element ?? b.element };
  if (a.kind === b.kind) return a;
  // null mixes with anything: a nullable value, not a type conflict.
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  const variants = [...(a.kind === 'mixed' ? a.variants : [a]), ...(b.kind === 'mixed' ? b.variants : [b])];
  return { kind: 'mixed', variants: variants.filter((v, i) => variants.findIndex((w) => w.kind === v.kind) === i) };
}

export interface ShapeDifference {
  path: string;
  /** `type`: both have the key with different JSON types; `sandbox-only`: HubSpot lacks a key the sandbox sends; `live-only`: the sandbox lacks a key HubSpot sends. */
  kind: 'type' | 'sandbox-only' | 'live-only';
  live?: string;
  sandbox?: string;
}

const describeShape = (s: Shape): string => (s.kind === 'mixed' ? s.variants.map(describeShape).join('|') : s.kind);

/**
 * Differences between the live and the sandbox shape. Keys under maps whose keys are data
 * (`properties`, `associations`, `propertiesWithHistory`, `metadata`, …) are not compared, only the
 * value types inside them.
 */
export function diffShapes(live: Shape, sandbox: Shape, path = '$', dataMaps = DATA_MAPS): ShapeDifference[] {
  if (live.kind === 'null' || sandbox.kind === 'null') return [];
  if (live.kind !== sandbox.kind) return [{ path, kind: 'type', live: describeShape(live), sandbox: describeShape(sandbox) }];
  if (live.kind === 'array' && sandbox.kind === 'array') {
    return live.element && sandbox.element ? diffShapes(live.element, sandbox.element, `${path}[]`, dataMaps) : [];
  }
  if (live.kind === 'object' && sandbox.kind === 'object') {
    const key = path.split('.').pop() ?? '';
    if (dataMaps.includes(key)) {
      const lv = Object.values(live.keys);
      const sv = Object.values(sandbox.keys);
      if (lv.length === 0 || sv.length === 0) return [];
      return diffShapes(lv.reduce(merge), sv.reduce(merge), `${path}.*`, dataMaps);
    }
    const out: ShapeDifference[] = [];
    for (const [k, v] of Object.entries(live.keys)) {
      if (!(k in sandbox.keys)) out.push({ path: `${path}.${k}`, kind: 'live-only', live: describeShape(v) });
      else out.push(...diffShapes(v, sandbox.keys[k], `${path}.${k}`, dataMaps));
    }
    for (const [k, v] of Object.entries(sandbox.keys)) if (!(k in live.keys)) out.push({ path: `${path}.${k}`, kind: 'sandbox-only', sandbox: describeShape(v) });
    return out;
  }
  return [];
}

export const DATA_MAPS = ['properties', 'propertiesWithHistory', 'associations', 'metadata', 'context', 'links'];

/** Names of HubSpot's rate-limit headers present on a response (values differ by nature). */
export function rateLimitHeaderNames(headers: Headers): string[] {
  const names: string[] = [];
  headers.forEach((_v, k) => {
    if (k.toLowerCase().startsWith('x-hubspot-ratelimit')) names.push(k.toLowerCase());
  });
  return names.sort();
}
