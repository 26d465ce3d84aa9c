/**
 * Which association pairs a set of synced object types is swept by: each unordered pair once, from
 * the type earlier in this order (engagements point at records, line items at deals, deals at
 * companies, companies at contacts — the directions Exante and Stanna read them in).
 */
const ORDER = ['calls', 'emails', 'meetings', 'notes', 'tasks', 'line_items', 'quotes', 'deals', 'tickets', 'companies', 'contacts', 'products'];

function rank(type: string): number {
  const i = ORDER.indexOf(type);
  return i >= 0 ? i : ORDER.length; // custom objects last, among themselves by name
}

/** `[fromType, toTypes[]]` for every from-type that has partners among `types`. */
export function associationPairs(types: string[]): [string, string[]][] {
  const unique = [...new Set(types)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: [string, string[]][] = [];
  for (let i = 0; i < unique.length; i++) {
    const to = unique.slice(i + 1).filter((t) => !(ORDER.slice(0, 5).includes(unique[i]) && ORDER.slice(0, 5).includes(t)));
    if (to.length) out.push([unique[i], to]);
  }
  return out;
}
