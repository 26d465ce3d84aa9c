import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workspaceRoot } from '@hubsync/test-stack';
import type { ChaosResult } from './chaos-run';

/** The human-readable summary `npm run chaos` prints. */
export function formatChaosResult(r: ChaosResult): string {
  const lines: string[] = [];
  lines.push(`chaos ${r.profile} run, seed ${r.seed}, ${r.minutes} min of changes, commit ${r.commit}`);
  lines.push(`result: ${r.ok ? 'PASS' : 'FAIL'} — missed ${r.totals.missed}, duplicated ${r.totals.duplicated}, stale ${r.totals.stale}, extra ${r.totals.extra}`);
  lines.push('');
  lines.push('object type           HubSpot live/archived   mirror live/archived   missed dup stale extra');
  for (const o of r.reconciliation.objects) {
    if (o.truthLive + o.truthArchived + o.mirrorLive + o.mirrorArchived === 0) continue;
    lines.push(
      `${o.objectType.padEnd(22)}${`${o.truthLive}/${o.truthArchived}`.padStart(21)}${`${o.mirrorLive}/${o.mirrorArchived}`.padStart(23)}${String(o.missed).padStart(9)}${String(o.duplicated).padStart(4)}${String(o.stale).padStart(6)}${String(o.extra).padStart(6)}`,
    );
  }
  lines.push('');
  lines.push('associations          HubSpot   mirror   missed extra (to archived)');
  for (const a of r.reconciliation.associations) {
    lines.push(`${`${a.fromType}↔${a.toType}`.padEnd(22)}${String(a.truth).padStart(7)}${String(a.mirror).padStart(9)}${String(a.missed).padStart(9)}${String(a.extra).padStart(6)} (${a.toArchived})`);
  }
  lines.push('');
  lines.push('mapped model          mirror live   mapped   skipped   missed extra');
  for (const m of r.reconciliation.mapped) {
    lines.push(`${m.entity.padEnd(22)}${String(m.mirrorLive).padStart(11)}${String(m.mapped).padStart(9)}${String(m.skipped).padStart(10)}${String(m.missed).padStart(9)}${String(m.extra).padStart(6)}`);
  }
  lines.push('');
  lines.push('fault                      at (s)   took (s)   recovered after (s)');
  for (const f of r.faults) {
    lines.push(`${f.kind.padEnd(26)}${String(f.startedAt).padStart(7)}${String(f.tookS).padStart(11)}${String(f.recoveredAfterS ?? (f.kind === 'merge' || f.kind === 'storm-429' ? '–' : 'never')).padStart(22)}${f.error ? `  ERROR ${f.error}` : ''}`);
  }
  lines.push('');
  lines.push(`initial load ${r.setup.initialLoadS ?? 'did not converge'} s; converged ${r.settle.convergedAfterS ?? 'NOT'} s after the sweeps; ${r.durationS} s in all`);
  lines.push(`secrets in logs: ${r.secretsInLogs.length}; dead letters: ${r.pipeline.deadLetters}; failed jobs: ${r.pipeline.failedJobs.length}`);
  for (const p of r.problems) lines.push(`problem: ${p}`);
  for (const d of r.diagnosis ?? []) lines.push(`diagnosis: ${d}`);
  for (const o of r.reconciliation.objects) {
    for (const [kind, examples] of Object.entries(o.examples)) if (examples?.length) lines.push(`  ${o.objectType} ${kind}: ${examples.join('; ')}`);
  }
  return lines.join('\n');
}

/** Writes `<dir>/seed-<seed>.json` and `<dir>/latest.json`; answers the paths. */
export function writeChaosResult(r: ChaosResult, outDir: string): string[] {
  const dir = resolve(workspaceRoot(), outDir);
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(r, null, 2)}\n`;
  const files = [join(dir, `${r.profile === 'short' ? 'short-' : ''}seed-${r.seed}.json`), join(dir, 'latest.json')];
  for (const f of files) writeFileSync(f, text);
  return files;
}
