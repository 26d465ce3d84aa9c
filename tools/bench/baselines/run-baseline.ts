import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BaselineConfig, BaselineResult, WorkerMessage } from './baseline-types';

const WORKER = join(__dirname, 'baseline-worker.js');

/** Runs one baseline in its own Node process and answers its result (rejects with the worker's error). */
export function runBaseline(config: BaselineConfig, timeoutMs: number): Promise<BaselineResult> {
  if (!existsSync(WORKER)) {
    throw new Error(`${WORKER} is missing: run the bench from built JavaScript (npx tsc -p tools/tsconfig.tools.json && npx tsc-alias -p tools/tsconfig.tools.json)`);
  }
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`baseline ${config.kind} did not finish within ${Math.round(timeoutMs / 1000)} s`)));
    }, timeoutMs);
    child.on('message', (message: WorkerMessage) => {
      finish(() => (message.ok ? resolve(message.result) : reject(new Error(`baseline ${config.kind} failed: ${message.error}`))));
    });
    child.on('exit', (code, signal) => {
      finish(() => reject(new Error(`baseline ${config.kind} exited (${signal ?? code}) without a result: ${stderr}`)));
    });
    child.send(config);
  });
}
