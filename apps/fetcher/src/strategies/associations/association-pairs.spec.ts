import { associationPairs } from './association-pairs';
import { EMPTY_FINGERPRINT, fingerprintOf } from './association-sets';

describe('associationPairs', () => {
  it('sweeps each unordered pair once, from engagements to records, deals to companies, companies to contacts', () => {
    expect(associationPairs(['contacts', 'companies', 'deals', 'notes'])).toEqual([
      ['notes', ['deals', 'companies', 'contacts']],
      ['deals', ['companies', 'contacts']],
      ['companies', ['contacts']],
    ]);
  });

  it('puts custom objects last and never pairs two engagement types', () => {
    expect(associationPairs(['2-123', 'calls', 'emails', 'contacts'])).toEqual([
      ['calls', ['contacts', '2-123']],
      ['emails', ['contacts', '2-123']],
      ['contacts', ['2-123']],
    ]);
  });
});

describe('association fingerprints', () => {
  const a = { fromId: '1', toId: '9', typeId: 1, category: 'HUBSPOT_DEFINED' as const, label: null };
  const b = { fromId: '1', toId: '9', typeId: 5, category: 'USER_DEFINED' as const, label: 'Champion' };

  it('ignore order but see labels, type ids and targets', () => {
    expect(fingerprintOf([a, b])).toBe(fingerprintOf([b, a]));
    expect(fingerprintOf([a, b])).not.toBe(fingerprintOf([a, { ...b, label: 'Decision maker' }]));
    expect(fingerprintOf([a])).not.toBe(fingerprintOf([{ ...a, toId: '10' }]));
    expect(fingerprintOf([])).toBe(EMPTY_FINGERPRINT);
  });
});
