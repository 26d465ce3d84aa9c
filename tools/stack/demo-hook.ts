import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStack } from './local-stack';

/**
 * The demo (connect a demo organization through OAuth against the sandbox, run a first sync) is
 * built in tools/stack/demo/run-demo.ts exporting `runDemo(stack: LocalStack): Promise<void>`.
 * Until that file exists, the launcher says so and keeps the stack running.
 */
export async function runDemoIfBuilt(stack: LocalStack): Promise<void> {
  const modulePath = join(__dirname, 'demo', 'run-demo.js');
  if (!existsSync(modulePath)) {
    stack.log('demo not built yet (tools/stack/demo/run-demo.ts does not exist); the stack is up without demo data');
    return;
  }
  const demo = require(modulePath) as { runDemo?: (s: LocalStack) => Promise<void> };
  if (typeof demo.runDemo !== 'function') throw new Error(`${modulePath} does not export runDemo(stack)`);
  await demo.runDemo(stack);
}
