/** What the bench process sends a baseline worker (a child process, so its memory and CPU are its own). */
export interface BaselineConfig {
  kind: 'naive' | 'fetch_only' | 'write_only';
  sandboxUrl: string;
  /** Private-app token of the seeded portal. */
  token: string;
  portalId: number;
  databaseUrl: string;
  objectTypes: string[];
  /** Object types read at once (the fetcher's FETCH_CONCURRENCY). */
  fetchConcurrency: number;
  /** naive: keep going at least this long. */
  timeBoxSeconds: number;
  /** write_only: where the COPY data is prepared. */
  tempDir: string;
  /**
   * write_only: an organization whose mirror rows (hubspot.objects) are a complete copy of the portal,
   * used as the data source of the preparation (faster than reading the sandbox again). Absent: the
   * rows are read from the sandbox.
   */
  mirrorOrganizationUid?: string;
}

export interface BaselineResult {
  kind: BaselineConfig['kind'];
  records_per_s: number | null;
  /** Records the timed part handled. */
  records: number;
  /** Seconds of the timed part. */
  seconds: number;
  requests?: number;
  /** How the rate was obtained (measured, or extrapolated and how). */
  method: string;
  details: Record<string, number | string | null>;
  /** The worker's own figures: getrusage max RSS and CPU time (user + system). */
  peak_rss_mb: number;
  cpu_s: number;
}

export type WorkerMessage = { ok: true; result: BaselineResult } | { ok: false; error: string };
