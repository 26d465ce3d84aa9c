import { BaselineConfig, BaselineResult } from './baseline-types';
import { walkAll } from './list-walk';

/** issue 8 §1 `fetch_only`: every page read from the sandbox with the fetcher's concurrency, then discarded. */
export async function runFetchOnly(config: BaselineConfig): Promise<Omit<BaselineResult, 'peak_rss_mb' | 'cpu_s'>> {
  const started = process.hrtime.bigint();
  const counts = await walkAll(config, () => undefined);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    kind: 'fetch_only',
    records: counts.records,
    seconds,
    requests: counts.requests,
    records_per_s: seconds > 0 ? counts.records / seconds : null,
    method: `measured: list pages of 100 with every property, ${config.fetchConcurrency} object types at once (libs/hubspot client)`,
    details: { pages: counts.pages, fetch_concurrency: config.fetchConcurrency },
  };
}
