import { paginate } from './paginate';

describe('paginate', () => {
  it('follows paging.next.after to the end', async () => {
    const pages: Record<string, { items: number[]; nextAfter?: string }> = { start: { items: [1, 2], nextAfter: 'b' }, b: { items: [3], nextAfter: 'c' }, c: { items: [] } };
    const asked: (string | undefined)[] = [];
    const out: number[] = [];
    for await (const items of paginate(async (after) => (asked.push(after), pages[after ?? 'start']))) out.push(...items);
    expect(out).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  it('stops when a cursor repeats instead of looping forever', async () => {
    let calls = 0;
    for await (const _ of paginate(async () => ({ items: [calls++], nextAfter: 'same' }))) void _;
    expect(calls).toBe(2);
  });
});
