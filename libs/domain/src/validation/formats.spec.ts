import { isValidDomain, isValidEmail, normaliseDomain, normaliseEmail } from './formats';

describe('domain normalisation (seed 002: consistent, properly formatted domains)', () => {
  it.each([
    ['https://www.Example.com/about?x=1', 'example.com'],
    ['http://user:pw@shop.example.co.uk:8080/path', 'shop.example.co.uk'],
    ['WWW.EXAMPLE.COM.', 'example.com'],
    ['  example.com  ', 'example.com'],
    ['//cdn.example.org', 'cdn.example.org'],
    ['', null],
    [null, null],
  ])('%p → %p', (raw, expected) => expect(normaliseDomain(raw as string | null)).toBe(expected));

  it('validates domains', () => {
    expect(isValidDomain('example.com')).toBe(true);
    expect(isValidDomain('xn--bcher-kva.example')).toBe(true);
    expect(isValidDomain('localhost')).toBe(false);
    expect(isValidDomain('bad_domain.com')).toBe(false);
    expect(isValidDomain('-bad.com')).toBe(false);
    expect(isValidDomain('example.123')).toBe(false);
  });

  it('normalises and validates emails', () => {
    expect(normaliseEmail(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(isValidEmail('ada.lovelace+crm@example.com')).toBe(true);
    expect(isValidEmail('not-an-email')).toBe(false);
    expect(isValidEmail('a@b')).toBe(false);
    expect(isValidEmail('two@@example.com')).toBe(false);
  });
});
