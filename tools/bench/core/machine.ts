import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface GitInfo {
  commit: string | null;
  /** Uncommitted changes in the checkout: the figures belong to commit + those changes. */
  dirty: boolean | null;
}

export interface MachineInfo {
  cores: number;
  cpu_model: string | null;
  memory_mb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: above `cores`, other work shared the CPUs and the figures are pessimistic. */
  load_avg_1m_at_start: number;
}

export function gitInfo(cwd: string): GitInfo {
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = git(['rev-parse', 'HEAD']);
  } catch {
    commit = null;
  }
  try {
    dirty = git(['status', '--porcelain', '--untracked-files=no']).length > 0;
  } catch {
    dirty = null;
  }
  return { commit, dirty };
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpu_model: list[0]?.model?.trim() ?? null,
    memory_mb: Math.round(totalmem() / (1024 * 1024)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    load_avg_1m_at_start: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** 1-minute load average now (recorded per scenario at its end). */
export function loadAverage(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}
