import { Pool } from 'pg';

export interface ActiveQuery {
  query: string;
  /** Share of samples in which a backend was running this statement (≈ busy backends). */
  samples: number;
  share: number;
  /** What those backends were waiting on, when they were (Lock, IO, …). */
  waits: Record<string, number>;
}

/**
 * A sampling profiler for PostgreSQL (no extension needed): every `intervalMs` it reads
 * pg_stat_activity and counts the statements active backends are running, so the statements the
 * database spends its time in rank first. Used with --profile next to the services' --cpu-prof.
 */
export class PgActivitySampler {
  private readonly counts = new Map<string, { samples: number; waits: Record<string, number> }>();
  private sampled = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly db: Pool, private readonly intervalMs = 200) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): ActiveQuery[] {
    if (this.timer) clearInterval(this.timer);
    const total = Math.max(1, this.sampled);
    return [...this.counts.entries()]
      .map(([query, c]) => ({ query, samples: c.samples, share: Math.round((c.samples / total) * 1000) / 1000, waits: c.waits }))
      .sort((a, b) => b.samples - a.samples)
      .slice(0, 15);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const r = await this.db.query<{ query: string; wait: string | null }>(
        `SELECT query, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
          WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'`,
      );
      this.sampled++;
      for (const row of r.rows) {
        const key = normalize(row.query);
        const entry = this.counts.get(key) ?? { samples: 0, waits: {} };
        entry.samples++;
        if (row.wait) entry.waits[row.wait] = (entry.waits[row.wait] ?? 0) + 1;
        this.counts.set(key, entry);
      }
    } catch {
      // A missed sample only lowers the resolution.
    } finally {
      this.busy = false;
    }
  }
}

/** Statement text without literals and extra whitespace, cut to a readable length. */
function normalize(query: string): string {
  return query.replace(/\s+/g, ' ').replace(/'[^']*'/g, "'…'").replace(/\b\d+\b/g, 'N').trim().slice(0, 240);
}
