import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Linter } from 'eslint';

/**
 * The module boundaries are real lint errors: an app importing another app, and libs/contracts
 * importing a data-access lib, are rejected by `@nx/enforce-module-boundaries` with the workspace's
 * own eslint.config.mjs and project graph. The fixtures are linted as if they lived inside those
 * projects (ESLint's `filePath`), so Nx attributes them to apps/fetcher and libs/contracts; nothing
 * is written into the projects. They are stored as `.ts.txt` so linting `tools/` skips them.
 *
 * ESLint runs in a child Node process: it loads eslint.config.mjs with a dynamic import, which
 * Jest's module sandbox refuses without --experimental-vm-modules.
 */
const workspaceRoot = resolve(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures');
const RULE = '@nx/enforce-module-boundaries';
const IN_APP = 'apps/fetcher/src/boundary-fixture.ts';
const IN_CONTRACTS = 'libs/contracts/src/boundary-fixture.ts';

const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

/** Reads `[{ code, filePath }]` on stdin, lints each with the workspace config, prints the messages. */
const LINT_RUNNER = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { code, filePath } of JSON.parse(input)) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages);
  }
  process.stdout.write(JSON.stringify(out));
});
`;

const cases: Array<{ fixture: string; asFile: string }> = [];
let results: Linter.LintMessage[][] = [];

/** Registers a fixture to be linted as `asFile`; the messages are available once beforeAll ran. */
function lintFixture(fixture: string, asFile: string): () => Linter.LintMessage[] {
  const index = cases.push({ fixture, asFile }) - 1;
  return () => results[index];
}

function boundaryErrors(messages: Linter.LintMessage[]): Linter.LintMessage[] {
  return messages.filter((m) => m.ruleId === RULE && m.severity === 2);
}

describe('module boundaries (@nx/enforce-module-boundaries)', () => {
  const appImportsAppRelative = lintFixture('app-imports-app-relative.ts.txt', IN_APP);
  const appImportsAppAbsolute = lintFixture('app-imports-app-absolute.ts.txt', IN_APP);
  const contractsImportPersistence = lintFixture('contracts-imports-persistence.ts.txt', IN_CONTRACTS);
  const appImportsContracts = lintFixture('app-imports-contracts.ts.txt', IN_APP);
  const contractsSelfContained = lintFixture('contracts-self-contained.ts.txt', IN_CONTRACTS);

  beforeAll(() => {
    // The rule reads Nx's cached project graph and skips itself (silently passing) without one, so
    // build it first: no daemon, no cloud, nothing left running.
    execFileSync(
      process.execPath,
      ['-e', "require('@nx/devkit').createProjectGraphAsync({ exitOnError: true }).then(() => process.exit(0))"],
      { cwd: workspaceRoot, env: NX_ENV, stdio: 'pipe', timeout: 120_000 },
    );
    const input = cases.map(({ fixture, asFile }) => ({
      code: readFileSync(join(FIXTURES, fixture), 'utf8'),
      filePath: join(workspaceRoot, asFile),
    }));
    const output = execFileSync(process.execPath, ['-e', LINT_RUNNER], {
      cwd: workspaceRoot,
      env: NX_ENV,
      input: JSON.stringify(input),
      encoding: 'utf8',
      timeout: 120_000,
    });
    results = JSON.parse(output);
  }, 250_000);

  it('rejects an app importing another app by relative path', () => {
    const errors = boundaryErrors(appImportsAppRelative());
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/relative or absolute path/);
  });

  it('rejects an app importing another app by workspace path', () => {
    expect(boundaryErrors(appImportsAppAbsolute())).toHaveLength(1);
  });

  it('rejects libs/contracts importing @hubsync/persistence', () => {
    const errors = boundaryErrors(contractsImportPersistence());
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/type:contracts.*can only depend on libs tagged with.*type:contracts/);
  });

  it('accepts an app importing @hubsync/contracts', () => {
    expect(appImportsContracts()).toEqual([]);
  });

  it('accepts contracts importing their own files', () => {
    expect(contractsSelfContained()).toEqual([]);
  });
});
