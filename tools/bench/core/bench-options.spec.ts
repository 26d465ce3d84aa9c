import { parseBenchOptions, SCENARIO_NAMES } from './bench-options';

describe('run-bench arguments', () => {
  it('defaults to every scenario at the default sizes', () => {
    expect(parseBenchOptions([])).toMatchObject({ scenarios: [...SCENARIO_NAMES], mode: 'default', echo: false, profile: false, help: false });
  });

  it('takes scenarios repeated, comma-separated or with =, without duplicates, in the given order', () => {
    expect(parseBenchOptions(['--scenario', 'memory', '--scenario=unthrottled,memory']).scenarios).toEqual(['memory', 'unthrottled']);
  });

  it('--quick and --full select the mode and exclude each other', () => {
    expect(parseBenchOptions(['--quick', '--scenario', 'unthrottled'])).toMatchObject({ mode: 'quick', scenarios: ['unthrottled'] });
    expect(parseBenchOptions(['--full']).mode).toBe('full');
    expect(() => parseBenchOptions(['--quick', '--full'])).toThrow('exclude each other');
  });

  it('names what is wrong', () => {
    expect(() => parseBenchOptions(['--scenario', 'fast'])).toThrow('unknown scenario "fast"');
    expect(() => parseBenchOptions(['--scenario'])).toThrow('--scenario needs a value');
    expect(() => parseBenchOptions(['--repeats', '0'])).toThrow('--repeats must be an integer from 1 to 20');
    expect(() => parseBenchOptions(['--fast'])).toThrow('unknown argument "--fast"');
  });

  it('reads --repeats, --out and --echo', () => {
    expect(parseBenchOptions(['--repeats', '5', '--out', '/tmp/x', '--echo', '--profile'])).toMatchObject({ repeats: 5, outDir: '/tmp/x', echo: true, profile: true });
  });
});
