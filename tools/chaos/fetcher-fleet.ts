import { AppProcess, Stack } from '@hubsync/test-stack';
import { freePort } from '@hubsync/testing';
import { SeededRandom } from './seeded-random';

/**
 * The fetchers of a chaos run: the stack's own one plus extra OS processes with the same
 * configuration (scaling 1 → N → 1), each of which can be SIGKILLed and brought back.
 */
export class FetcherFleet {
  private readonly extras: AppProcess[] = [];
  private serial = 1;
  /** Starts that failed before a retry succeeded (each one is a finding). */
  readonly startFailures: string[] = [];

  constructor(private readonly stack: Stack) {}

  get size(): number {
    return 1 + this.extras.length;
  }

  /** Every fetcher process currently part of the fleet (running or not). */
  processes(): AppProcess[] {
    return [this.primary(), ...this.extras];
  }

  private primary(): AppProcess {
    const p = this.stack.apps.fetcher;
    if (!p) throw new Error('the stack has no fetcher');
    return p;
  }

  async scaleTo(count: number): Promise<void> {
    while (this.size < count) {
      const base = this.primary();
      const name = `fetcher-${++this.serial}`;
      const extra = new AppProcess({ app: 'fetcher', port: await freePort(), env: { ...base.env, FETCHER_ID: `chaos-${name}-${process.pid}` }, onLine: (_app, line) => this.stack.logs.push(name, line) });
      this.extras.push(extra);
      await extra.start();
    }
    // Graceful scale-down: SIGTERM lets a fetcher hand its portals over.
    while (this.size > count) {
      const extra = this.extras.pop();
      if (!extra) break;
      await extra.stop();
    }
  }

  /** SIGKILLs one fetcher chosen by `rng`, keeps it dead for `downSeconds`, starts it again; answers its name. */
  async killOne(rng: SeededRandom, downSeconds: number): Promise<string> {
    const index = rng.int(0, this.size - 1);
    if (index === 0) {
      await this.stack.kill('fetcher');
      await sleep(downSeconds * 1000);
      await this.startWithRetry('fetcher-1', () => this.stack.restart('fetcher'), 'fetcher');
      return 'fetcher-1';
    }
    const victim = this.extras[index - 1];
    await victim.kill();
    await sleep(downSeconds * 1000);
    const name = `fetcher-${++this.serial}`;
    const replacement = new AppProcess({ app: 'fetcher', port: victim.port, env: { ...victim.env, FETCHER_ID: `chaos-${name}-${process.pid}` }, onLine: (_app, line) => this.stack.logs.push(name, line) });
    this.extras[index - 1] = replacement;
    await this.startWithRetry(name, () => replacement.start(), name);
    return `extra fetcher ${index + 1}`;
  }

  /** Like a process supervisor: a failed start is retried after a pause, up to 4 times. */
  private async startWithRetry(name: string, start: () => Promise<void>, logName: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await start();
        return;
      } catch (error) {
        this.startFailures.push(`${name}: ${(error as Error).message.split('\n')[0]} — last lines: ${this.stack.logs.tail(logName, 8).replace(/\s+/g, ' ').slice(-1200)}`);
        if (attempt >= 4) throw error;
        await sleep(2_000 * attempt);
      }
    }
  }

  async stopExtras(): Promise<void> {
    await Promise.all(this.extras.splice(0).map((p) => p.stop()));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
