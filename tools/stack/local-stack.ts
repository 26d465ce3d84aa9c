import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

/** What `.local/stack.json` holds; the demo adds its `demo` block through `updateStackFile`. */
export interface StackFile {
  syncApiUrl: string;
  authGatewayUrl: string;
  sandboxUrl: string;
  natsUrl: string;
  databaseUrl: string;
  fetcherUrl: string;
  mapperUrl: string;
  /** Only tools and tests hold it (DESIGN §5); never given to a service. */
  sandboxAdminToken: string;
  [extra: string]: unknown;
}

/** The running local stack as the demo hook sees it. */
export interface LocalStack {
  file: StackFile;
  stackFilePath: string;
  /** The OAuth app auth-gateway runs with (created in the sandbox when possible). */
  hubspotApp: { clientId: string; clientSecret: string; redirectUri: string };
  log(message: string): void;
  /** Merges `patch` into .local/stack.json. */
  updateStackFile(patch: Record<string, unknown>): void;
}

export function writeStackFile(path: string, content: Record<string, unknown>): void {
  // It holds the sandbox admin token and database credentials: owner-only.
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function mergeStackFile(path: string, patch: Record<string, unknown>): void {
  const current = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeStackFile(path, { ...current, ...patch });
}
