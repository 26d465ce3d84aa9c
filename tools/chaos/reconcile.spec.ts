import { classifyAssociations, classifyMapped, classifyObjects, MirrorRecord, TruthRecord } from './reconcile';

const t = (id: string, ms: number, archived = false): TruthRecord => ({ id, updatedAt: new Date(ms).toISOString(), updatedAtMs: ms, archived });
const m = (id: string, ms: number, archived = false, objectType = 'contacts'): MirrorRecord => ({ objectType, id, updatedMs: ms, archived });

describe('reconciliation rules', () => {
  it('a mirror equal to HubSpot counts nothing, archived records included', () => {
    const r = classifyObjects('contacts', [t('1', 10), t('2', 20, true)], [m('1', 10), m('2', 20, true)], new Set());
    expect([r.missed, r.duplicated, r.stale, r.extra]).toEqual([0, 0, 0, 0]);
  });

  it('counts a missing live record as missed, but not an archived one the mirror never saw', () => {
    const r = classifyObjects('contacts', [t('1', 10), t('2', 20, true)], [], new Set());
    expect(r.missed).toBe(1);
    expect(r.examples.missed).toEqual(['1']);
  });

  it('counts an older last-modified, a missed delete and a wrong archive as stale', () => {
    const r = classifyObjects('contacts', [t('1', 10), t('2', 20, true), t('3', 30)], [m('1', 9), m('2', 20), m('3', 30, true)], new Set());
    expect(r.stale).toBe(3);
  });

  it('counts a merged-away record still live as duplicated, and an id under two type names too', () => {
    const r = classifyObjects('p1_machines', [t('5', 50, true), t('6', 60)], [m('5', 40), m('6', 60, false, 'p1_machines'), m('6', 60, false, '2-1')], new Set(['5']));
    expect(r.duplicated).toBe(2);
    expect(r.stale).toBe(0);
  });

  it('counts a live mirror record HubSpot does not know as extra', () => {
    const r = classifyObjects('contacts', [t('1', 10)], [m('1', 10), m('99', 10)], new Set());
    expect(r.extra).toBe(1);
  });

  it('associations: missing pairs are missed, unknown pairs between live records extra, pairs to archived records only counted', () => {
    const r = classifyAssociations('contacts', 'companies', new Set(['1:10', '2:20']), new Set(['1:10', '3:30', '4:40']), new Set(['1', '2', '3']), new Set(['10', '20', '30']));
    expect({ missed: r.missed, extra: r.extra, toArchived: r.toArchived }).toEqual({ missed: 1, extra: 1, toArchived: 1 });
  });

  it('mapped models: a live record neither mapped nor skipped is missed; a mapped row without a live record is extra', () => {
    const r = classifyMapped('stanna.clients', ['companies'], new Set(['1', '2', '3']), new Set(['1', '9']), new Set(['2']));
    expect({ missed: r.missed, extra: r.extra }).toEqual({ missed: 1, extra: 1 });
    expect(r.examples).toEqual({ missed: ['3'], extra: ['9'] });
  });
});
