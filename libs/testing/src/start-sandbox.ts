import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';
import { SandboxAdminClient } from './sandbox-admin-client';
import { waitFor } from './wait-for';

export const SANDBOX_ENTRY = join('dist', 'apps', 'hubspot-sandbox', 'apps', 'hubspot-sandbox', 'src', 'main.js');
export const SANDBOX_BUILD_HINT =
  'The HubSpot sandbox is not built. Build it first: ' +
  '`npx tsc -p apps/hubspot-sandbox/tsconfig.app.json && npx tsc-alias -p apps/hubspot-sandbox/tsconfig.app.json`.';

export interface SandboxHandle {
  /** Base URL for the SDK's `basePath` (HUBSPOT_API_BASE_URL / HUBSPOT_AUTH_BASE_URL). */
  url: string;
  port: number;
  adminToken: string;
  admin: SandboxAdminClient;
  /** Recent stdout/stderr of the process (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartSandboxOptions {
  /** Admin token; a random one when omitted. */
  adminToken?: string;
  /** Extra environment (knobs such as SANDBOX_SEARCH_LAG_SECONDS, SANDBOX_OAUTH_AUTO_APPROVE). */
  env?: Record<string, string>;
  port?: number;
  /** Milliseconds to wait for /health/ready (default 30 s). */
  readyTimeoutMs?: number;
}

/** Finds the built sandbox entry point from the repo root (walking up from here, then from cwd). */
export function sandboxEntryPoint(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, SANDBOX_ENTRY);
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(SANDBOX_BUILD_HINT);
}

/**
 * Starts the HubSpot sandbox from its built JavaScript as a child process on a free
 * 127.0.0.1 port and waits until it is ready.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const entry = sandboxEntryPoint();
  const port = options.port ?? (await freePort());
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port), HOST: '127.0.0.1', SANDBOX_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  try {
    await waitFor(`hubspot-sandbox on ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`sandbox exited with code ${child.exitCode}: ${output}`);
      const res = await fetch(`${url}/health/ready`);
      return res.ok;
    }, options.readyTimeoutMs ?? 30_000, 100);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, adminToken, admin: new SandboxAdminClient(url, adminToken), output: () => output, stop };
}
