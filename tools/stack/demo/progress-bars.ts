/** Terminal rendering of the demo's sync progress (pure, so it is unit-tested). */
export interface ObjectProgress {
  status: string;
  total_synced: number;
  total_skipped: number;
  estimate: number | null;
  percent: number;
}

const WIDTH = 30;

export function progressBar(percent: number, width = WIDTH): string {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** One line per object type: name, bar, percent, counts, status. */
export function renderProgress(objects: Record<string, ObjectProgress>, overallPercent: number): string[] {
  const names = Object.keys(objects).sort();
  const nameWidth = Math.max(8, ...names.map((n) => n.length));
  const lines = names.map((name) => {
    const o = objects[name];
    const counts = `${o.total_synced}${o.estimate !== null ? `/${o.estimate}` : ''} synced${o.total_skipped ? `, ${o.total_skipped} skipped` : ''}`;
    return `${name.padEnd(nameWidth)} ${progressBar(o.percent)} ${o.percent.toFixed(1).padStart(5)}%  ${counts}  ${o.status}`;
  });
  lines.push(`${'overall'.padEnd(nameWidth)} ${progressBar(overallPercent)} ${overallPercent.toFixed(1).padStart(5)}%`);
  return lines;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
