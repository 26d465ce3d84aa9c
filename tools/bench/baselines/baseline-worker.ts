/**
 * Child-process entry of one baseline (forked by run-baseline.ts with IPC), so the baseline's memory
 * and CPU are measured apart from the bench process and the services.
 */
import { BaselineConfig, BaselineResult, WorkerMessage } from './baseline-types';
import { runFetchOnly } from './fetch-only';
import { runNaive } from './naive';
import { runWriteOnly } from './write-only';

async function run(config: BaselineConfig): Promise<BaselineResult> {
  const partial = config.kind === 'naive' ? await runNaive(config) : config.kind === 'fetch_only' ? await runFetchOnly(config) : await runWriteOnly(config);
  const usage = process.resourceUsage();
  return {
    ...partial,
    // getrusage: maxRSS in kilobytes, CPU in microseconds.
    peak_rss_mb: usage.maxRSS / 1024,
    cpu_s: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  };
}

process.once('message', (config: BaselineConfig) => {
  run(config).then(
    (result) => process.send?.({ ok: true, result } satisfies WorkerMessage, () => process.exit(0)),
    (error: Error) => process.send?.({ ok: false, error: error.stack ?? error.message } satisfies WorkerMessage, () => process.exit(1)),
  );
});
