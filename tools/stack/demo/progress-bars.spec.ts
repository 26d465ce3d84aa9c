import { formatDuration, progressBar, renderProgress } from './progress-bars';

describe('demo progress bars', () => {
  it('draws bars proportional to the percent, clamped', () => {
    expect(progressBar(0, 10)).toBe('[..........]');
    expect(progressBar(50, 10)).toBe('[#####.....]');
    expect(progressBar(100, 10)).toBe('[##########]');
    expect(progressBar(250, 10)).toBe('[##########]');
    expect(progressBar(Number.NaN, 10)).toBe('[..........]');
  });

  it('renders one line per object type plus the overall line', () => {
    const lines = renderProgress(
      {
        deals: { status: 'syncing', total_synced: 50, total_skipped: 0, estimate: 100, percent: 50 },
        companies: { status: 'completed', total_synced: 90, total_skipped: 10, estimate: 100, percent: 100 },
      },
      75,
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^companies .*100\.0% {2}90\/100 synced, 10 skipped {2}completed$/);
    expect(lines[1]).toMatch(/^deals .* 50\.0% {2}50\/100 synced {2}syncing$/);
    expect(lines[2]).toMatch(/^overall .* 75\.0%$/);
  });

  it('formats durations', () => {
    expect(formatDuration(5_400)).toBe('5s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });
});
