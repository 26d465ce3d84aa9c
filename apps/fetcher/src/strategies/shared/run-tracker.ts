import { FetchContext } from '../../fetch/fetch-context';
import { drainTally, RequestTally, withTally } from '../../metrics/request-tally';

/**
 * The object run (if any) a fetch step reports to: counts its HubSpot requests (through the
 * transport's attempt hook) and hands them to the next fenced progress write.
 */
export class RunTracker {
  readonly tally: RequestTally = { requests: 0, http429: 0 };

  constructor(
    readonly runId: string | null,
    readonly objectType: string,
  ) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    return withTally(this.tally, fn);
  }

  /** Progress for `FetchStore.commit` (undefined without a run). */
  progress(ctx: FetchContext, update: { pages?: number; estimate?: number; batchesPublished?: number; phase?: string }) {
    if (!this.runId) {
      drainTally(this.tally);
      return undefined;
    }
    const t = drainTally(this.tally);
    return { runId: this.runId, objectType: this.objectType, progress: { ...update, requests: t.requests, http429: t.http429 } };
  }

  async start(ctx: FetchContext, phase: string): Promise<void> {
    if (this.runId) await ctx.store.objectRuns.start(this.runId, ctx.session.organizationUid, this.objectType, ctx.fence(), phase);
  }

  async finish(ctx: FetchContext, error: string | null = null): Promise<void> {
    if (!this.runId) return;
    const t = drainTally(this.tally);
    if (t.requests || t.http429) await ctx.store.objectRuns.progress(this.runId, this.objectType, { requests: t.requests, http429: t.http429 }, ctx.fence());
    await ctx.store.objectRuns.finish(this.runId, this.objectType, ctx.fence(), error);
  }
}
