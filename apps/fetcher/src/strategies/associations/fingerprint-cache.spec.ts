import { FingerprintCache } from './fingerprint-cache';

const pair = { connectionId: 'c1', fromType: 'deals', toType: 'companies' };
const other = { connectionId: 'c1', fromType: 'deals', toType: 'contacts' };

describe('FingerprintCache', () => {
  it('keeps pairs apart', () => {
    const cache = new FingerprintCache(10);
    cache.set(pair, '1', 'a');
    cache.set(other, '1', 'b');
    expect(cache.get(pair, '1')).toBe('a');
    expect(cache.get(other, '1')).toBe('b');
    cache.delete(pair, '1');
    expect(cache.get(pair, '1')).toBeUndefined();
    expect(cache.get(other, '1')).toBe('b');
  });

  it('never holds more than its size and evicts the least recently used', () => {
    const cache = new FingerprintCache(3);
    for (const id of ['1', '2', '3']) cache.set(pair, id, `f${id}`);
    expect(cache.get(pair, '1')).toBe('f1'); // 1 is now the most recent
    cache.set(pair, '4', 'f4');
    expect(cache.size).toBe(3);
    expect(cache.get(pair, '2')).toBeUndefined();
    expect(cache.get(pair, '1')).toBe('f1');
    for (let i = 0; i < 10_000; i++) cache.set(pair, String(100 + i), 'x');
    expect(cache.size).toBe(3);
  });

  it('shrinks when resized and holds nothing at size 0', () => {
    const cache = new FingerprintCache(5);
    for (const id of ['1', '2', '3', '4', '5']) cache.set(pair, id, 'f');
    cache.resize(2);
    expect(cache.size).toBe(2);
    expect(cache.get(pair, '5')).toBe('f');
    cache.resize(0);
    cache.set(pair, '9', 'f');
    expect(cache.size).toBe(0);
  });
});
