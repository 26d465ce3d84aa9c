import { Injectable, OnModuleDestroy } from '@nestjs/common';

/** Resolves when ready (optionally with details for the response); throws/rejects when not. */
export type ReadinessCheck = () => Promise<void | Record<string, unknown>> | void | Record<string, unknown>;

interface RegisteredCheck {
  name: string;
  check: ReadinessCheck;
  timeoutMs: number;
}

/**
 * Readiness checks of an app's real dependencies. Features register theirs at boot
 * (`onModuleInit() { this.health.register('nats', () => …) }`); `/health/ready` runs them all.
 */
@Injectable()
export class HealthRegistry implements OnModuleDestroy {
  private readonly checks = new Map<string, RegisteredCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): void {
    this.checks.set(name, { name, check, timeoutMs: options.timeoutMs ?? 3_000 });
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Once shutdown begins the app reports not-ready so load balancers stop sending work. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
  }

  /** Runs every check with its timeout; never throws. */
  async runAll(): Promise<Array<{ name: string; ok: boolean; details?: Record<string, unknown>; error?: string }>> {
    return Promise.all(
      [...this.checks.values()].map(async ({ name, check, timeoutMs }) => {
        try {
          const details = await withTimeout(Promise.resolve().then(check), timeoutMs, name);
          return { name, ok: true, details: details ?? undefined };
        } catch (error) {
          return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} check timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
