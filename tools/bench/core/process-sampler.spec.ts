import { spawn } from 'node:child_process';
import { ProcessSampler, readMemory, readStat } from './process-sampler';

describe('ProcessSampler (/proc)', () => {
  it('reads this process: parent pid, CPU ticks and a high-water mark at least the current RSS', () => {
    const stat = readStat(process.pid);
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.ownTicks).toBeGreaterThanOrEqual(0);
    const mem = readMemory(process.pid);
    expect(mem?.rss).toBeGreaterThan(1024 * 1024);
    expect(mem?.hwm).toBeGreaterThanOrEqual(mem?.rss ?? 0);
    expect(readStat(2 ** 22 + 12345)).toBeNull();
  });

  it('sees the CPU a busy child burns and its peak memory', async () => {
    // The child touches a 64 MB buffer and burns 150 ms of CPU (measured by itself, so load on the
    // machine does not matter), then says so and idles.
    const script = 'const b=Buffer.alloc(64*1024*1024,1);while(process.cpuUsage().user<150000){};process.stdout.write("ready");setTimeout(()=>{},60000)';
    const child = spawn(process.execPath, ['-e', script]);
    try {
      const sampler = new ProcessSampler(60_000);
      sampler.track('busy', child.pid as number);
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      sampler.sample();
      const f = sampler.figures()['busy'];
      expect(f.samples).toBe(2);
      expect(f.peak_rss_mb).toBeGreaterThan(64);
      expect(f.cpu_s).toBeGreaterThan(0.1);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
