import { SlidingWindowLog } from './sliding-window-log';

describe('SlidingWindowLog', () => {
  it('counts sends inside the enforced span (interval + margin) and forgets older ones', () => {
    const log = new SlidingWindowLog(10_000, 250);
    log.record(0);
    log.record(5_000);
    expect(log.count(10_249)).toBe(2);
    expect(log.count(10_250)).toBe(1); // the send at 0 leaves exactly at 0 + span
    expect(log.count(15_250)).toBe(0);
  });

  it('tells when the next send keeps the window at capacity', () => {
    const log = new SlidingWindowLog(10_000, 0);
    [0, 1_000, 2_000].forEach((t) => log.record(t));
    expect(log.nextFreeAt(3_000, 4)).toBe(3_000);
    expect(log.nextFreeAt(3_000, 3)).toBe(10_000);
    expect(log.nextFreeAt(3_000, 2)).toBe(11_000); // two must leave: the second at 1_000 + 10_000
  });

  it('adds phantom usage learnt from HubSpot and keeps the log sorted', () => {
    const log = new SlidingWindowLog(1_000, 0);
    log.record(500);
    log.addPhantoms(2, 300);
    expect(log.snapshot(600)).toEqual([300, 300, 500]);
    expect(log.nextFreeAt(600, 3)).toBe(1_300);
  });

  it('restores a snapshot without entries from the future or outside the window', () => {
    const log = new SlidingWindowLog(1_000, 0);
    log.restore([100, 900, 5_000, Number.NaN], 1_150);
    expect(log.snapshot(1_150)).toEqual([900]);
  });
});

describe('SlidingWindowLog in-flight slots', () => {
  it('counts an in-flight slot until it finishes, then for one span after its finish', () => {
    const log = new SlidingWindowLog(1_000, 0);
    const slot = log.start(0);
    expect(log.count(50_000)).toBe(1); // never pruned while in flight
    log.finish(slot, 50_000);
    expect(log.count(50_999)).toBe(1);
    expect(log.count(51_000)).toBe(0);
  });

  it('answers Infinity when only in-flight slots could free room, and a time once enough have finished', () => {
    const log = new SlidingWindowLog(1_000, 100);
    const a = log.start(0);
    const b = log.start(0);
    expect(log.nextFreeAt(10, 2)).toBe(Infinity);
    log.finish(b, 300);
    expect(log.nextFreeAt(310, 2)).toBe(1_400);
    expect(log.nextFreeAt(310, 1)).toBe(Infinity); // two must leave, one is still in flight
    log.finish(a, 200);
    expect(log.nextFreeAt(310, 1)).toBe(1_400); // sorted by finish: 200 leaves at 1_300, 300 at 1_400
  });

  it('finishes a slot once: a second finish frees nothing more', () => {
    const log = new SlidingWindowLog(1_000, 0);
    const a = log.start(0);
    log.start(0);
    log.finish(a, 10);
    log.finish(a, 20);
    expect(log.inFlightCount).toBe(1);
    expect(log.count(20)).toBe(2);
  });

  it('snapshots in-flight slots as answered now, so the next driver keeps them for a window', () => {
    const log = new SlidingWindowLog(1_000, 0);
    log.record(100);
    log.start(200);
    expect(log.snapshot(500)).toEqual([100, 500]);
    const next = new SlidingWindowLog(1_000, 0);
    next.restore(log.snapshot(500), 500);
    expect(next.count(1_499)).toBe(1);
    expect(next.count(1_500)).toBe(0);
  });
});
