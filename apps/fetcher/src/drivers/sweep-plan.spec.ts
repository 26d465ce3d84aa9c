import { dueStreams, edgeFloorMs, nextEdgeInterval } from './sweep-plan';

describe('continuous sweep plan', () => {
  it('stretches edge intervals so all types together stay within half the search budget', () => {
    // 80% of 5/s = 4/s, half of it for edge sweeps = 2/s: 12 types can each be swept every 6 s, not 5.
    expect(edgeFloorMs(12, 4)).toBe(6_000);
    expect(edgeFloorMs(4, 4)).toBe(2_000);
    for (const types of [1, 5, 12, 40]) {
      const perSecond = types / (Math.max(5_000, edgeFloorMs(types, 4)) / 1000);
      expect(perSecond).toBeLessThanOrEqual(2);
    }
  });

  it('sweeps a type with changes at the target interval and backs a quiet one off up to 8×', () => {
    expect(nextEdgeInterval(20_000, true, 5_000)).toBe(5_000);
    expect(nextEdgeInterval(5_000, false, 5_000)).toBe(10_000);
    expect(nextEdgeInterval(30_000, false, 5_000)).toBe(40_000);
    expect(nextEdgeInterval(40_000, false, 5_000)).toBe(40_000);
  });

  it('takes hot types first among those due, then the most overdue, and skips running ones', () => {
    const s = (name: string, nextEdgeAt: number, lastChangeAt: number, running = false) => ({ name, nextEdgeAt, nextLagAt: Infinity, lastChangeAt, running });
    const due = dueStreams([s('cold-overdue', 0, 0), s('hot', 50, 900), s('warm', 10, 500), s('busy', 0, 999, true), s('later', 2_000, 999)], 100);
    expect(due.map((d) => d.name)).toEqual(['hot', 'warm', 'cold-overdue']);
  });
});
