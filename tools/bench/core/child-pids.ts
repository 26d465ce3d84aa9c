import { readdirSync, readFileSync } from 'node:fs';
import { readStat } from './process-sampler';

/**
 * Pid of a direct child of this process whose command line matches `pattern` (the sandbox, the
 * embedded PostgreSQL and nats-server are started by libs/testing from this process, which does not
 * hand out their pids). The newest match wins.
 */
export function childPid(pattern: RegExp, parent = process.pid): number | undefined {
  let found: number | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (readStat(pid)?.ppid !== parent) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (pattern.test(cmdline) && (found === undefined || pid > found)) found = pid;
  }
  return found;
}

export const SANDBOX_CMD = /hubspot-sandbox/;
export const POSTGRES_CMD = /\bpostgres\b.*-D /;
export const NATS_CMD = /nats-server/;
