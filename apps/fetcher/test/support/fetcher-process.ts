import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '@hubsync/testing';

/** The built fetcher; FETCHER_TEST_ENTRY points elsewhere (e.g. a private build while others rebuild dist/). */
export const FETCHER_ENTRY = process.env['FETCHER_TEST_ENTRY'] ?? join(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'fetcher', 'apps', 'fetcher', 'src', 'main.js');

/** A fetcher started from its built JavaScript as a child process (so tests can SIGKILL / SIGSTOP it). */
export class FetcherProcess {
  private child?: ChildProcess;
  private logs = '';
  port = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    if (!existsSync(FETCHER_ENTRY)) {
      throw new Error('The fetcher is not built: `npx tsc -p apps/fetcher/tsconfig.app.json && npx tsc-alias -p apps/fetcher/tsconfig.app.json`');
    }
    this.port = await freePort();
    this.child = spawn(process.execPath, [FETCHER_ENTRY], {
      env: { ...process.env, LOG_LEVEL: 'info', ...this.env, FETCHER_ID: this.name, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (this.logs = (this.logs + d.toString()).slice(-400_000));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    await waitFor(`fetcher ${this.name} ready`, async () => {
      if (this.child?.exitCode !== null) throw new Error(`fetcher ${this.name} exited: ${this.logs.slice(-3000)}`);
      const res = await fetch(`http://127.0.0.1:${this.port}/health/ready`).catch(() => null);
      return res?.ok ?? false;
    }, 30_000, 200);
  }

  output(): string {
    return this.logs;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** SIGTERM and wait for a graceful exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    return new Promise((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(killer);
        resolve(code);
      });
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
