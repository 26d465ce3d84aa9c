import { median, percentile, ratio, round, spread } from './stats';

describe('bench statistics', () => {
  it('median of odd and even counts, ignoring null and NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([Number.NaN, 5])).toBe(5);
  });

  it('nearest-rank percentiles are values that occurred', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([10, 20, 30], 0)).toBe(10);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 101)).toThrow('between 0 and 100');
  });

  it('spread keeps every run with median, min and max', () => {
    expect(spread([5, null, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: [5, 1, 3] });
    expect(spread([null, undefined])).toBeNull();
  });

  it('ratio and round refuse what is not a number', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
