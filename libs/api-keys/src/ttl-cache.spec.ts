import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('answers an entry until its ttl and not after', () => {
    const cache = new TtlCache<string>(100, 10, clock);
    cache.set('k', 'v');
    now += 99;
    expect(cache.get('k')).toBe('v');
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new TtlCache<number>(1_000, 2, clock);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('stores nothing with a ttl of 0', () => {
    const cache = new TtlCache<number>(0, 10, clock);
    cache.set('a', 1);
    expect(cache.enabled).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the entries a predicate matches', () => {
    const cache = new TtlCache<{ keyUid: string }>(1_000, 10, clock);
    cache.set('h1', { keyUid: 'k1' });
    cache.set('h2', { keyUid: 'k2' });
    cache.deleteWhere((v) => v.keyUid === 'k1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toEqual({ keyUid: 'k2' });
  });

  it('rejects nonsense limits', () => {
    expect(() => new TtlCache(-1, 10)).toThrow(/ttlMs/);
    expect(() => new TtlCache(10, 0)).toThrow(/maxEntries/);
  });
});
