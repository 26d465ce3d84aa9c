/**
 * Loaded with `NODE_OPTIONS=--require …/cpu-profile-preload.js` by `run-bench --profile`: Node 20
 * refuses `--cpu-prof` in NODE_OPTIONS, and the stack harness starts each app as `node main.js`, so
 * the profiler is started from inside (node:inspector) and the profile written when the process
 * exits (main-thread inspector sessions answer synchronously, so this works in an 'exit' handler).
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const dir = process.env['BENCH_CPU_PROFILE_DIR'];
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // dist/apps/<app>/apps/<app>/src/main.js → <app>
  const app = basename(dirname(dirname(process.argv[1] ?? 'node')));
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error && result?.profile) writeFileSync(join(dir, `${app}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
