import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The monorepo root (the folder holding nx.json), found from this file in src/ or dist/. */
export function workspaceRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('workspace root (nx.json) not found');
}

/** Built entry point of an app: dist/apps/<app>/apps/<app>/src/main.js. */
export function builtAppEntry(app: string): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

export function buildHint(app: string): string {
  return `npx tsc -p apps/${app}/tsconfig.app.json && npx tsc-alias -p apps/${app}/tsconfig.app.json`;
}
