import { matchSubjectPattern } from './subject-router';

describe('matchSubjectPattern', () => {
  const patterns = ['sync.portal-work.v1', 'hubspot.records.v1', 'hubspot.records.v1.contacts', 'hubspot.schema.v1'];

  it('prefers an exact match', () => {
    expect(matchSubjectPattern('hubspot.schema.v1', patterns)).toBe('hubspot.schema.v1');
  });

  it('routes a longer subject to its dot-separated prefix', () => {
    expect(matchSubjectPattern('sync.portal-work.v1.12345', patterns)).toBe('sync.portal-work.v1');
  });

  it('picks the longest matching prefix', () => {
    expect(matchSubjectPattern('hubspot.records.v1.contacts.9', patterns)).toBe('hubspot.records.v1.contacts');
    expect(matchSubjectPattern('hubspot.records.v1.deals', patterns)).toBe('hubspot.records.v1');
  });

  it('does not match a prefix that ends mid-token or another version', () => {
    expect(matchSubjectPattern('sync.portal-work.v10', patterns)).toBeUndefined();
    expect(matchSubjectPattern('sync.portal-work.v2.1', patterns)).toBeUndefined();
  });
});
