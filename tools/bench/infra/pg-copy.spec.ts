import { copyText } from './pg-copy';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes null as \\N', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('{"q":"say \\"hi\\""}')).toBe('{"q":"say \\\\"hi\\\\""}');
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('')).toBe('');
  });
});
