import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, workspaceRoot } from './deploy-spec-support';

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** Splits the Dockerfile into stages (continuation lines joined) and resolves `ARG` defaults in FROM. */
function parseDockerfile(text: string): { stages: Stage[]; args: Record<string, string> } {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const arg = /^ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg && stages.length === 0) args[arg[1]] = arg[2];
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      const image = from[1].replace(/\$\{(\w+)\}/g, (_m, n: string) => args[n] ?? '');
      stages.push({ name: from[2] ?? `stage-${stages.length}`, from: image, lines: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].lines.push(line);
    }
  }
  return { stages, args };
}

const { stages } = parseDockerfile(readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8'));
const byName = new Map(stages.map((s) => [s.name, s]));

/** The stage and every stage it is built FROM, nearest first. */
function lineage(name: string): Stage[] {
  const chain: Stage[] = [];
  let stage = byName.get(name);
  while (stage) {
    chain.push(stage);
    stage = byName.get(stage.from);
  }
  return chain;
}

function instructions(name: string, keyword: string): string[] {
  return lineage(name)
    .flatMap((s) => s.lines)
    .filter((l) => l.toUpperCase().startsWith(`${keyword} `));
}

describe('Dockerfile', () => {
  it('builds on Node 22 LTS (bookworm-slim) in every stage', () => {
    for (const stage of stages) {
      const base = lineage(stage.name).at(-1) as Stage;
      expect({ stage: stage.name, base: base.from }).toEqual({ stage: stage.name, base: 'node:22-bookworm-slim' });
    }
  });

  it('installs with npm ci and builds every project with Nx, without Nx Cloud or the daemon', () => {
    const build = lineage('build');
    const runs = build.flatMap((s) => s.lines).filter((l) => /^RUN /i.test(l));
    expect(runs.some((l) => /npm ci\b/.test(l) && !/--omit=dev/.test(l))).toBe(true);
    expect(runs.some((l) => /npx nx run-many -t build\b/.test(l))).toBe(true);
    const env = instructions('build', 'ENV').join(' ');
    expect(env).toMatch(/NX_NO_CLOUD=true/);
    expect(env).toMatch(/NX_DAEMON=false/);
  });

  it.each([...APPS, 'migrate'])('has a %s target with production dependencies only, run as a non-root user', (target) => {
    const chain = lineage(target);
    expect(chain.length).toBeGreaterThan(0);
    // No dev dependencies: node_modules come only from a stage that ran `npm ci --omit=dev`.
    const nodeModulesCopies = chain
      .flatMap((s) => s.lines)
      .filter((l) => /^COPY\s/i.test(l) && /node_modules/.test(l));
    expect(nodeModulesCopies.length).toBeGreaterThan(0);
    for (const copy of nodeModulesCopies) {
      const source = /--from=(\S+)/.exec(copy)?.[1] as string;
      const runs = lineage(source).flatMap((s) => s.lines).filter((l) => /^RUN /i.test(l));
      expect({ copy, omitsDev: runs.some((l) => /npm ci\b.*--omit=dev/.test(l)) }).toEqual({ copy, omitsDev: true });
    }
    expect(chain.some((s) => s.name === 'build' || s.name === 'deps')).toBe(false);
    const user = instructions(target, 'USER')[0];
    expect(user).toBeDefined();
    const uid = /^USER\s+(\S+?)(?::\S+)?$/i.exec(user)?.[1];
    // Numeric, so Kubernetes can verify runAsNonRoot.
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it.each([...APPS])('starts %s from its built entry point, copied from the build stage', (app) => {
    const entry = `dist/apps/${app}/apps/${app}/src/main.js`;
    const cmd = instructions(app, 'CMD')[0];
    expect(JSON.parse(cmd.slice(4))).toEqual(['node', entry]);
    const copies = byName.get(app)?.lines.filter((l) => /^COPY\s+--from=build\s/i.test(l)) ?? [];
    expect(copies.some((l) => l.includes(`/dist/apps/${app} `))).toBe(true);
  });

  it('runs the migration CLI in the migrate target', () => {
    const cmd = instructions('migrate', 'CMD')[0];
    expect(JSON.parse(cmd.slice(4))).toEqual(['node', 'dist/tools/tools/migrate/migrate.js']);
    const copies = byName.get('migrate')?.lines.join('\n') ?? '';
    expect(copies).toMatch(/COPY --from=build \S*dist\/tools\/tools\/migrate /);
    expect(copies).toMatch(/COPY --from=build \S*dist\/tools\/libs /);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps local state and host-built artefacts out of the build context', () => {
    for (const entry of ['**/node_modules', 'dist', '.nx', '.local', '.git']) expect(ignored).toContain(entry);
  });
});
