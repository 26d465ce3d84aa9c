import { isCustomObjectType, standardObjectType, STANDARD_OBJECT_TYPES } from './object-types';

describe('object types', () => {
  it('knows the change cursor of contacts differs from the other objects', () => {
    expect(standardObjectType('contacts')?.lastModifiedProperty).toBe('lastmodifieddate');
    expect(standardObjectType('deals')?.lastModifiedProperty).toBe('hs_lastmodifieddate');
    expect(STANDARD_OBJECT_TYPES.filter((t) => t.isEngagement).map((t) => t.name)).toEqual(['calls', 'emails', 'meetings', 'notes', 'tasks']);
  });

  it('recognises custom objects by objectTypeId and fully qualified name only', () => {
    expect(isCustomObjectType('2-1234567')).toBe(true);
    expect(isCustomObjectType('p123456_cars')).toBe(true);
    expect(isCustomObjectType('contacts')).toBe(false);
    expect(isCustomObjectType('2-abc')).toBe(false);
  });
});
