import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory and CPU time of processes, read from Linux's /proc (no agent in the
 * measured process): `/proc/<pid>/status` VmRSS/VmHWM (kB) and `/proc/<pid>/stat` utime/stime/
 * cutime/cstime (clock ticks, `getconf CLK_TCK`). VmHWM is the kernel's own high-water mark, so a
 * single process's peak is exact even between samples; a process tree (PostgreSQL: postmaster and
 * its backends) is the sum of the members' VmRSS at each sample, which counts shared buffers once
 * per backend that touched them, so it overstates — labelled as such in the results.
 */
export interface ProcessFigures {
  peak_rss_mb: number | null;
  cpu_s: number | null;
  /** How the figures were taken. */
  method: 'vmhwm' | 'tree_sum' | 'self_reported';
  samples: number;
}

interface StatLine {
  ppid: number;
  /** utime + stime of the process itself, in ticks. */
  ownTicks: number;
  /** cutime + cstime: waited-for children that ended. */
  childTicks: number;
}

let clockTicks: number | undefined;
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export function readStat(pid: number): StatLine | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const field = (n: number) => Number(rest[n - 3]);
  return { ppid: field(4), ownTicks: field(14) + field(15), childTicks: field(16) + field(17) };
}

/** VmRSS and VmHWM in bytes, or null when the process is gone. */
export function readMemory(pid: number): { rss: number; hwm: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Every live pid whose parent is `root` (one level: PostgreSQL backends are the postmaster's children). */
function childrenOf(root: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.ppid === root) out.push(Number(entry));
  }
  return out;
}

interface Tracked {
  label: string;
  pid: () => number | undefined;
  tree: boolean;
  peakBytes: number;
  samples: number;
  /** CPU ticks accumulated by earlier pids of this label (an app restarted keeps its history). */
  closedTicks: number;
  current?: { pid: number; startTicks: number; lastTicks: number };
}

export class ProcessSampler {
  private readonly tracked = new Map<string, Tracked>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 1000) {}

  /** Follows whatever pid `pid()` returns at each sample (so restarts are followed). */
  track(label: string, pid: number | (() => number | undefined), options: { tree?: boolean } = {}): void {
    const getter = typeof pid === 'number' ? () => pid : pid;
    this.tracked.set(label, { label, pid: getter, tree: options.tree ?? false, peakBytes: 0, samples: 0, closedTicks: 0 });
    this.sampleOne(this.tracked.get(label) as Tracked);
  }

  labels(): string[] {
    return [...this.tracked.keys()];
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  sample(): void {
    for (const t of this.tracked.values()) this.sampleOne(t);
  }

  /** Peak RSS since tracking began and CPU seconds used since then, per label. */
  figures(): Record<string, ProcessFigures> {
    const hz = clockTicksPerSecond();
    const out: Record<string, ProcessFigures> = {};
    for (const t of this.tracked.values()) {
      const running = t.current ? t.current.lastTicks - t.current.startTicks : 0;
      out[t.label] = {
        peak_rss_mb: t.samples > 0 ? t.peakBytes / (1024 * 1024) : null,
        cpu_s: t.samples > 0 ? (t.closedTicks + running) / hz : null,
        method: t.tree ? 'tree_sum' : 'vmhwm',
        samples: t.samples,
      };
    }
    return out;
  }

  private sampleOne(t: Tracked): void {
    const pid = t.pid();
    if (!pid) return;
    const stat = readStat(pid);
    if (!stat) return;
    let ticks = stat.ownTicks + (t.tree ? stat.childTicks : 0);
    let bytes: number;
    if (t.tree) {
      bytes = readMemory(pid)?.rss ?? 0;
      for (const child of childrenOf(pid)) {
        bytes += readMemory(child)?.rss ?? 0;
        ticks += readStat(child)?.ownTicks ?? 0;
      }
    } else {
      bytes = readMemory(pid)?.hwm ?? 0;
    }
    if (!t.current || t.current.pid !== pid) {
      if (t.current) t.closedTicks += t.current.lastTicks - t.current.startTicks;
      // A process first seen now: its CPU so far belongs to whatever ran before tracking began.
      t.current = { pid, startTicks: ticks, lastTicks: ticks };
    }
    // Tree CPU can dip when a backend exits before its parent reaps it: never count backwards.
    t.current.lastTicks = Math.max(t.current.lastTicks, ticks);
    t.peakBytes = Math.max(t.peakBytes, bytes);
    t.samples++;
  }
}
