import { organizationUidOf } from './dead-letter-store';

describe('organizationUidOf', () => {
  it('takes a UUID organizationUid from a JSON object', () => {
    expect(organizationUidOf({ organizationUid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' })).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('ignores values the uuid column would reject', () => {
    expect(organizationUidOf({ organizationUid: 'org-1' })).toBeNull();
    expect(organizationUidOf({ organizationUid: 42 })).toBeNull();
    expect(organizationUidOf(['x'])).toBeNull();
    expect(organizationUidOf(null)).toBeNull();
    expect(organizationUidOf('text')).toBeNull();
  });
});
