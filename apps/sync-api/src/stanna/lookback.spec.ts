import { lookbackStart, LookbackError, parseLookback } from './lookback';

const now = new Date('2025-06-15T12:00:00.000Z');
const start = (text: string) => lookbackStart(parseLookback(text), now).toISOString();

describe('lookback parsing', () => {
  it('accepts the short form', () => {
    expect(start('2y')).toBe('2023-06-15T12:00:00.000Z');
    expect(start('18m')).toBe('2023-12-15T12:00:00.000Z');
    expect(start('2w')).toBe('2025-06-01T12:00:00.000Z');
    expect(start('90d')).toBe('2025-03-17T12:00:00.000Z');
    expect(start('12h')).toBe('2025-06-15T00:00:00.000Z');
    expect(start('2Y')).toBe('2023-06-15T12:00:00.000Z');
  });

  it('accepts ISO-8601 durations', () => {
    expect(start('P2Y')).toBe('2023-06-15T12:00:00.000Z');
    expect(start('P1Y6M')).toBe('2023-12-15T12:00:00.000Z');
    expect(start('P30D')).toBe('2025-05-16T12:00:00.000Z');
    expect(start('PT36H')).toBe('2025-06-14T00:00:00.000Z');
    expect(start('P1DT1H30M')).toBe('2025-06-14T10:30:00.000Z');
    expect(start('P2W')).toBe('2025-06-01T12:00:00.000Z');
  });

  it('clamps month arithmetic to the last day of the month', () => {
    expect(lookbackStart(parseLookback('1m'), new Date('2025-03-31T00:00:00Z')).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(lookbackStart(parseLookback('P2Y'), new Date('2024-02-29T00:00:00Z')).toISOString()).toBe('2022-02-28T00:00:00.000Z');
  });

  it.each(['', 'P', 'PT', '2', 'y', '2 years', 'P2', 'P-1Y', '-2y', '0y', 'P0D', '2x', 'P2Y3', '31y', 'P100Y', '1.5y'])(
    'rejects %p',
    (text) => {
      expect(() => parseLookback(text)).toThrow(LookbackError);
    },
  );
});
