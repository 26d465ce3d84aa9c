import { AssociationStore } from './association-store';
import { AssociationTypeRegistry } from './association-types';

describe('association store', () => {
  const ids: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };
  const make = () => new AssociationStore(new AssociationTypeRegistry((n) => ids[n] ?? n));

  it('stores both directions with inverse type ids and always the unlabeled type', () => {
    const s = make();
    expect(s.add('0-1', 5, '0-2', 7, [1]).typeIds).toEqual([1, 279]);
    expect(s.edgeTypes('0-2', 7, '0-1', 5)).toEqual([2, 280]);
    expect(s.add('0-1', 5, '0-2', 7, [1]).changed).toBe(false);
  });

  it('removes labels only, or the whole edge with the unlabeled type', () => {
    const s = make();
    s.add('0-1', 1, '0-2', 2, [1]);
    expect(s.remove('0-1', 1, '0-2', 2, [1])).toBe(true);
    expect(s.edgeTypes('0-2', 2, '0-1', 1)).toEqual([280]);
    expect(s.remove('0-1', 1, '0-2', 2)).toBe(true);
    expect(s.edgeTypes('0-1', 1, '0-2', 2)).toBeUndefined();
    expect(s.list('0-2', 2, '0-1')).toBeUndefined();
  });

  it('keeps target rows sorted whatever the insertion order', () => {
    const s = make();
    for (const r of [9, 3, 7, 1]) s.add('0-2', 0, '0-1', r, []);
    expect((s.list('0-2', 0, '0-1') ?? []).filter((_, i) => i % 2 === 0)).toEqual([1, 3, 7, 9]);
  });

  it('registers USER_DEFINED labels with paired inverse ids', () => {
    const registry = new AssociationTypeRegistry((n) => ids[n] ?? n);
    const id = registry.addLabel('0-3', '0-1', 'Champion', 'Champion of');
    expect(registry.find(id)?.def).toMatchObject({ category: 'USER_DEFINED', label: 'Champion', inverseTypeId: id + 1 });
    expect(registry.find(id + 1)?.def.label).toBe('Champion of');
    expect(registry.addLabel('0-3', '0-1', 'Champion')).toBe(id);
  });
});
