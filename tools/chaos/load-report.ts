import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@hubsync/test-stack';

/** Writes a result file under chaos/results/ and answers its path. */
export function writeJson(name: string, value: unknown): string {
  const dir = join(workspaceRoot(), 'chaos', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}
