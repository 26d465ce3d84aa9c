import 'reflect-metadata';
import { parseChaosArgs, USAGE } from './chaos-options';
import { formatChaosResult, writeChaosResult } from './chaos-report';
import { runChaos } from './chaos-run';

/**
 * `npm run chaos [-- --minutes N --seed S]`: one chaos run against the whole stack (issue 9 §1).
 * Exits 0 when missed = duplicated = stale = extra = 0 and every fault recovered, else 1.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options;
  try {
    options = parseChaosArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[chaos +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
  const result = await runChaos(options, log);
  process.stdout.write(`\n${formatChaosResult(result)}\n`);
  for (const file of writeChaosResult(result, options.outDir)) process.stdout.write(`wrote ${file}\n`);
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
