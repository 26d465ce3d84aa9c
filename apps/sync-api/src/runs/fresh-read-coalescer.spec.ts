import { FreshReadCoalescer } from './fresh-read-coalescer';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('FreshReadCoalescer', () => {
  it('runs a lone read at once', async () => {
    const c = new FreshReadCoalescer<number>();
    await expect(c.read('org', async () => 1)).resolves.toBe(1);
    expect(c.inFlight).toBe(0);
  });

  it('makes requests arriving during a read share the next read, never the one already under way', async () => {
    const c = new FreshReadCoalescer<string>();
    const first = deferred<string>();
    const second = deferred<string>();
    const loads: string[] = [];
    const a = c.read('org', () => (loads.push('first'), first.promise));
    await Promise.resolve();
    // Arrive while the first read runs: they must not get its (possibly older) answer.
    const b = c.read('org', () => (loads.push('second'), second.promise));
    const d = c.read('org', () => (loads.push('unused'), Promise.resolve('unused')));
    first.resolve('before the write');
    await expect(a).resolves.toBe('before the write');
    await Promise.resolve();
    second.resolve('after the write');
    await expect(b).resolves.toBe('after the write');
    await expect(d).resolves.toBe('after the write');
    expect(loads).toEqual(['first', 'second']);
    expect(c.inFlight).toBe(0);
  });

  it('keeps keys apart', async () => {
    const c = new FreshReadCoalescer<string>();
    const [x, y] = await Promise.all([c.read('a', async () => 'A'), c.read('b', async () => 'B')]);
    expect([x, y]).toEqual(['A', 'B']);
  });

  it('passes a failure to the requests of that read only, and reads again afterwards', async () => {
    const c = new FreshReadCoalescer<string>();
    const failing = deferred<string>();
    const a = c.read('org', () => failing.promise);
    const b = c.read('org', async () => 'recovered');
    failing.reject(new Error('db down'));
    await expect(a).rejects.toThrow('db down');
    await expect(b).resolves.toBe('recovered');
    await expect(c.read('org', async () => 'later')).resolves.toBe('later');
    expect(c.inFlight).toBe(0);
  });
});
