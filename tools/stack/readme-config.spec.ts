import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFiles, END_MARKER, readVariables, renderConfigReference, START_MARKER } from './config-reference';
import { PORT_VARIABLES } from './stack-settings';

// The README's configuration reference must name every variable a config class reads.
const root = join(__dirname, '..', '..');
const FIX = 'regenerate it: npx tsc -p tools/tsconfig.tools.json && node dist/tools/tools/stack/config-reference.js --write';

describe('README configuration reference', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it.each(configFiles(root).map(({ file }) => [file.slice(root.length + 1)]))('lists every variable of %s', (file) => {
    const variables = readVariables(join(root, file)).map((v) => v.name);
    expect(variables.length).toBeGreaterThan(0);
    const missing = variables.filter((v) => !readme.includes(`\`${v}\``));
    expect({ missing, fix: missing.length ? FIX : undefined }).toEqual({ missing: [], fix: undefined });
  });

  it('holds the generated per-app tables as they are now', () => {
    const section = readme.slice(readme.indexOf(START_MARKER) + START_MARKER.length, readme.indexOf(END_MARKER)).trim();
    expect(section.length).toBeGreaterThan(0);
    if (section !== renderConfigReference(root)) throw new Error(`the README's generated configuration tables are stale; ${FIX}`);
  });

  it('lists the local stack port variables', () => {
    const missing = Object.values(PORT_VARIABLES)
      .map(([v]) => v)
      .filter((v) => !readme.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });
});
