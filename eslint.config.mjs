import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries are errors: apps never import apps, contracts depend on nothing of ours,
// pure domain logic never reaches for persistence or transport.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
];

// Specs and test folders may also use the test harness libs.
const testDepConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing', 'type:contracts'])],
}));

// The sandbox's admin API is for tools and tests only (DESIGN §5): services never hold its token.
const noSandboxAdmin = {
  'no-restricted-syntax': [
    'error',
    { selector: "Literal[value=/__admin/]", message: 'The sandbox admin API (__admin) is for tools and tests only.' },
    { selector: "TemplateElement[value.raw=/__admin/]", message: 'The sandbox admin API (__admin) is for tools and tests only.' },
  ],
};

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '.local/**', 'tmp/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints, banTransitiveDependencies: false },
      ],
    },
  },
  {
    files: [
      'apps/auth-gateway/src/**/*.ts',
      'apps/sync-api/src/**/*.ts',
      'apps/fetcher/src/**/*.ts',
      'apps/mapper/src/**/*.ts',
      'libs/hubspot/src/**/*.ts',
    ],
    rules: noSandboxAdmin,
  },
];
