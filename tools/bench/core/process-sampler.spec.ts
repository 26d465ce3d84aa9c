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
    // ~0.5 s of CPU and a 64 MB buffer touched page by page.
    const child = spawn(process.execPath, ['-e', 'const b=Buffer.alloc(64*1024*1024,1);const t=Date.now();while(Date.now()-t<500){};setTimeout(()=>{},1000)']);
    const sampler = new ProcessSampler(100);
    sampler.track('busy', child.pid as number);
    sampler.start();
    await new Promise((r) => setTimeout(r, 900));
    sampler.stop();
    child.kill('SIGKILL');
    const f = sampler.figures()['busy'];
    expect(f.samples).toBeGreaterThan(2);
    expect(f.peak_rss_mb).toBeGreaterThan(64);
    expect(f.cpu_s).toBeGreaterThan(0.2);
  });
});
