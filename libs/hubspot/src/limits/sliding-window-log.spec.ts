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
