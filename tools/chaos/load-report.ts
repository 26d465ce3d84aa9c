import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { workspaceRoot } from '@hubsync/test-stack';

/** Writes a result file under chaos/results/ (or at an absolute path) and answers its path. */
export function writeJson(name: string, value: unknown): string {
  const file = isAbsolute(name) ? name : join(workspaceRoot(), 'chaos', 'results', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}
