import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildHint, builtAppEntry } from './workspace-root';

export type LineSink = (app: string, line: string, stream: 'stdout' | 'stderr') => void;

export interface AppProcessOptions {
  /** App folder name under apps/ (its built main.js is started). */
  app: string;
  port: number;
  /** Complete environment of the child besides PATH/HOME/NODE_* inherited from this process. */
  env: Record<string, string>;
  onLine: LineSink;
  /** 200 on this path means started. */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** SIGTERM → wait this long → SIGKILL. */
  stopTimeoutMs?: number;
}

/** Parent variables a child needs to run node; everything else comes from `env` explicitly. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'SYSTEMROOT'];

/** One app running from its built JavaScript as a child process. */
export class AppProcess {
  private child?: ChildProcess;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly options: AppProcessOptions) {}

  get name(): string {
    return this.options.app;
  }
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }
  get port(): number {
    return this.options.port;
  }
  get process(): ChildProcess | undefined {
    return this.child;
  }
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
  get env(): Record<string, string> {
    return this.options.env;
  }

  /** Spawns the app and resolves once its ready path answers 200; rejects if it exits first. */
  async start(): Promise<void> {
    const entry = builtAppEntry(this.options.app);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build ${this.options.app} first (${buildHint(this.options.app)})`);
    const inherited = Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
    const child = spawn(process.execPath, [entry], {
      env: { ...inherited, PORT: String(this.options.port), ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (const stream of ['stdout', 'stderr'] as const) {
      const input = child[stream];
      if (input) createInterface({ input }).on('line', (line) => this.options.onLine(this.options.app, line, stream));
    }
    await this.waitReady();
  }

  /** Graceful stop (SIGTERM), SIGKILL if it does not exit in time. Resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timeout = this.options.stopTimeoutMs ?? 15_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no shutdown hooks run (crash simulation). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Synchronous last resort when the parent is exiting. */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  /** Resolves with the exit code once the process has exited. */
  waitExit(): Promise<number | null> {
    return this.exited;
  }

  private async waitReady(): Promise<void> {
    const path = this.options.readyPath ?? '/health/ready';
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.options.app} exited (code ${this.child?.exitCode ?? this.child?.signalCode}) before ${path} answered 200`);
      try {
        const res = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
        last = `${res.status} ${(await res.text()).slice(0, 300)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.options.app} not ready at ${this.url}${path}: ${last}`);
  }
}
