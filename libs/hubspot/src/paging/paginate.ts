/** One page of an `after`-cursor listing (`paging.next.after`, HUBSPOT-FACTS "Objects"). */
export interface CursorPage<T> {
  items: T[];
  nextAfter?: string;
}

/**
 * Walks an `after`-paged HubSpot listing to its end, yielding items page by page. Stops when a page
 * has no `paging.next.after` — and, defensively, when HubSpot repeats a cursor (a loop would never end).
 */
export async function* paginate<T>(fetchPage: (after: string | undefined) => Promise<CursorPage<T>>, startAfter?: string): AsyncGenerator<T[], void, undefined> {
  let after = startAfter;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(after);
    yield page.items;
    if (!page.nextAfter || seen.has(page.nextAfter)) return;
    seen.add(page.nextAfter);
    after = page.nextAfter;
  }
}
