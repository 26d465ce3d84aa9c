import type { Stack } from '@hubsync/test-stack';
import { childPid, NATS_CMD, POSTGRES_CMD, SANDBOX_CMD } from '../core/child-pids';
import { ProcessSampler } from '../core/process-sampler';

/**
 * Samples every process of a stack: each service (following restarts), the sandbox, nats-server, and
 * PostgreSQL as a process tree (postmaster + backends). Extra processes (more fetchers) can be added
 * with `track`.
 */
export function sampleStack(stack: Stack, intervalMs = 1000): ProcessSampler {
  const sampler = new ProcessSampler(intervalMs);
  for (const app of Object.keys(stack.apps) as Array<keyof Stack['apps']>) {
    sampler.track(app, () => stack.apps[app]?.process?.pid);
  }
  const sandbox = childPid(SANDBOX_CMD);
  if (sandbox) sampler.track('hubspot-sandbox', sandbox);
  const postgres = childPid(POSTGRES_CMD);
  if (postgres) sampler.track('postgres', postgres, { tree: true });
  const nats = childPid(NATS_CMD);
  if (nats) sampler.track('nats-server', nats);
  sampler.start();
  return sampler;
}

/** peak_rss_mb / cpu_s maps of a sampler, ready to merge into a run's metrics. */
export function processMaps(sampler: ProcessSampler): { peak_rss_mb: Record<string, number | null>; cpu_s: Record<string, number | null> } {
  const figures = sampler.figures();
  return {
    peak_rss_mb: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.peak_rss_mb])),
    cpu_s: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.cpu_s])),
  };
}
