import { DEFAULT_SEARCH_LIMITS, SearchRequestBody } from '@hubsync/hubspot';
import { FetchContext } from '../../fetch/fetch-context';
import { recordsMatchingCriteria } from './reached-criteria.gate';

/** A search that answers with the asked ids accepted by `accept`, recording every body. */
function contextWith(accept: (id: string) => boolean, limits = DEFAULT_SEARCH_LIMITS) {
  const bodies: SearchRequestBody[] = [];
  const search = jest.fn(async (_type: string, body: SearchRequestBody) => {
    bodies.push(body);
    const ids = body.filterGroups[0].filters.find((f) => f.propertyName === 'hs_object_id')?.values ?? [];
    return { total: 0, results: ids.filter(accept).map((id) => ({ id, properties: {} })) };
  });
  const ctx = { session: { client: { search } }, settings: { searchLimits: limits }, signal: new AbortController().signal } as unknown as FetchContext;
  return { ctx, bodies, search };
}

const industry = [[{ propertyName: 'industry', operator: 'EQ' as const, value: 'RETAIL' }]];

describe('recordsMatchingCriteria', () => {
  it('makes no call without criteria and keeps every id', async () => {
    const { ctx, search } = contextWith(() => false);
    await expect(recordsMatchingCriteria(ctx, 'companies', ['1', '2'], [])).resolves.toEqual(['1', '2']);
    await expect(recordsMatchingCriteria(ctx, 'companies', ['1'], undefined)).resolves.toEqual(['1']);
    expect(search).not.toHaveBeenCalled();
  });

  it('asks `hs_object_id IN [≤ 100 ids]` AND the criteria, and keeps the matching ids in the order given', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(1000 + i));
    const { ctx, bodies } = contextWith((id) => Number(id) % 3 === 0);
    const kept = await recordsMatchingCriteria(ctx, 'companies', ids, industry);
    expect(kept).toEqual(ids.filter((id) => Number(id) % 3 === 0));
    expect(bodies.map((b) => b.filterGroups[0].filters[0].values?.length)).toEqual([100, 100, 50]);
    for (const body of bodies) {
      expect(body.filterGroups).toHaveLength(1);
      expect(body.filterGroups[0].filters[1]).toEqual(industry[0][0]);
      expect(body.limit).toBe(body.filterGroups[0].filters[0].values?.length);
    }
  });

  it('splits a chunk whose body would pass 3,000 characters', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `${'9'.repeat(25)}${String(i).padStart(3, '0')}`);
    const { ctx, bodies } = contextWith(() => true);
    await expect(recordsMatchingCriteria(ctx, 'contacts', ids, industry)).resolves.toEqual(ids);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(JSON.stringify(body).length).toBeLessThanOrEqual(DEFAULT_SEARCH_LIMITS.maxBodyChars);
  });

  it('ignores an answer outside the asked ids', async () => {
    const { ctx, search } = contextWith(() => true);
    search.mockResolvedValueOnce({ total: 2, results: [{ id: '1', properties: {} }, { id: '77', properties: {} }] });
    await expect(recordsMatchingCriteria(ctx, 'companies', ['1', '2'], industry)).resolves.toEqual(['1']);
  });
});
