import { SandboxAdminClient } from '@hubsync/testing';

/**
 * When a portal's requests happened, from the sandbox's counters polled every `intervalMs`: the
 * first poll that saw the count rise and the last one. Their distance is the active window (±one
 * interval at each end), the denominator of an achieved request rate.
 */
export class RequestTimeline {
  private timer?: NodeJS.Timeout;
  private last = 0;
  private firstRiseAt: number | null = null;
  private lastRiseAt: number | null = null;
  private baselineAt = Date.now();
  private busy = false;

  constructor(private readonly admin: SandboxAdminClient, private readonly portalIds: number[], private readonly intervalMs = 1000) {}

  start(): void {
    this.baselineAt = Date.now();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  /** Seconds between the first and the last observed rise; null when fewer than two polls saw requests. */
  stop(): { activeSeconds: number | null; requests: number } {
    if (this.timer) clearInterval(this.timer);
    const active = this.firstRiseAt !== null && this.lastRiseAt !== null && this.lastRiseAt > this.firstRiseAt ? (this.lastRiseAt - this.firstRiseAt) / 1000 : null;
    return { activeSeconds: active, requests: this.last };
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let total = 0;
      for (const id of this.portalIds) {
        const c = await this.admin.counters(id);
        total += c.requests - c.searchRequests;
      }
      const now = Date.now();
      if (total > this.last) {
        // The rise happened somewhere in the last interval: the first one is dated to its start.
        if (this.firstRiseAt === null) this.firstRiseAt = Math.max(this.baselineAt, now - this.intervalMs);
        this.lastRiseAt = now;
        this.last = total;
      }
    } catch {
      // A missed poll widens the uncertainty only.
    } finally {
      this.busy = false;
    }
  }
}
