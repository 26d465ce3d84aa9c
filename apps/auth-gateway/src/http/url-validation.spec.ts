import { BadRequestException } from '@nestjs/common';
import { assertRedirectTarget, parseOriginList } from './url-validation';

describe('assertRedirectTarget', () => {
  it('accepts any absolute http(s) URL without an allowlist', () => {
    expect(assertRedirectTarget('return_to', 'https://anywhere.example/x?y=1')).toBe('https://anywhere.example/x?y=1');
  });

  it('accepts only the listed origins when given, naming the refused origin', () => {
    const allowed = parseOriginList('https://app.example.com, http://localhost:8080');
    expect(assertRedirectTarget('return_to', 'https://app.example.com/done', allowed)).toBe('https://app.example.com/done');
    expect(assertRedirectTarget('return_to', 'http://localhost:8080/cb', allowed)).toBe('http://localhost:8080/cb');
    expect(() => assertRedirectTarget('return_to', 'https://app.example.com.evil.net/done', allowed)).toThrow('return_to origin https://app.example.com.evil.net is not allowed');
    expect(() => assertRedirectTarget('redirect_uri', 'http://app.example.com/done', allowed)).toThrow(BadRequestException);
  });

  it('refuses non-http schemes and credentials', () => {
    expect(() => assertRedirectTarget('return_to', 'javascript:alert(1)')).toThrow('return_to must be an absolute http(s) URL');
    expect(() => assertRedirectTarget('return_to', 'https://u:p@app.example.com/')).toThrow('must not contain credentials');
  });
});
