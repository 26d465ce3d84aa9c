/**
 * Shared by the deployment specs (compose, k8s): where the apps' config classes are and which
 * variables they declare and require, so the deployment files are checked against the code that
 * actually validates the environment at boot and cannot drift from it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';

export const workspaceRoot = resolve(__dirname, '../..');

export const SERVICE_APPS = ['auth-gateway', 'sync-api', 'fetcher', 'mapper'] as const;
export const APPS = [...SERVICE_APPS, 'hubspot-sandbox'] as const;
export type AppName = (typeof APPS)[number];

/** Configuration names shared by all apps (DESIGN §5). */
export const SHARED_VARIABLES = [
  'DATABASE_URL',
  'NATS_URL',
  'HUBSPOT_API_BASE_URL',
  'HUBSPOT_AUTH_BASE_URL',
  'HUBSPOT_CLIENT_ID',
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_REDIRECT_URI',
  'TOKEN_ENCRYPTION_KEY',
  'PORT',
  'LOG_LEVEL',
] as const;

/** Only the sandbox may hold its admin token (DESIGN §5). */
export const SANDBOX_ADMIN_TOKEN = 'SANDBOX_ADMIN_TOKEN';

export type ConfigClass = new () => object;

export interface AppConfigVariables {
  /** The config class the app validates its environment with. */
  configClass: ConfigClass;
  file: string;
  /** Every variable the class reads (each validated property is one environment variable). */
  declared: Set<string>;
  /** Declared, not optional and without a default: boot fails without them. */
  required: Set<string>;
  /**
   * What a deployment must set: the required variables plus every shared DESIGN §5 name the class
   * declares, even with a default (a default of https://api.hubapi.com must not silently apply
   * where the deployment means the sandbox).
   */
  mustProvide: Set<string>;
}

function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function validationMetadatas(target: ConfigClass) {
  return getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
}

/**
 * Loads `apps/<app>/src/config/*.config.ts` and returns the app's config class: the exported class
 * with validation metadata (the one named like the app, `<PascalApp>Config`, when there are several).
 * The path is computed, so this reads the app's file as data without an import across projects.
 */
export function loadAppConfig(app: AppName): Promise<AppConfigVariables> {
  // Memoised: several specs and tests ask for the same app; a missing file fails only the tests
  // that need it.
  let loading = loaded.get(app);
  if (!loading) {
    loading = readAppConfig(app);
    loaded.set(app, loading);
  }
  return loading;
}

const loaded = new Map<AppName, Promise<AppConfigVariables>>();

async function readAppConfig(app: AppName): Promise<AppConfigVariables> {
  const dir = join(workspaceRoot, 'apps', app, 'src', 'config');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.config.ts') && !f.endsWith('.spec.ts')) : [];
  if (files.length === 0) {
    throw new Error(`apps/${app}/src/config/*.config.ts not found: every app validates its environment with a config class`);
  }
  const candidates: Array<{ configClass: ConfigClass; file: string }> = [];
  for (const file of files) {
    const exported: Record<string, unknown> = await import(join(dir, file));
    for (const value of Object.values(exported)) {
      if (typeof value === 'function' && validationMetadatas(value as ConfigClass).length > 0) {
        candidates.push({ configClass: value as ConfigClass, file: `apps/${app}/src/config/${file}` });
      }
    }
  }
  const preferred = candidates.find((c) => c.configClass.name === `${pascalCase(app)}Config`);
  const chosen = preferred ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!chosen) {
    throw new Error(
      `apps/${app}/src/config: expected one exported config class (or ${pascalCase(app)}Config), found ${candidates.length}`,
    );
  }
  return { ...chosen, ...configVariables(chosen.configClass) };
}

export function configVariables(configClass: ConfigClass): Pick<AppConfigVariables, 'declared' | 'required' | 'mustProvide'> {
  const metadatas = validationMetadatas(configClass);
  const declared = new Set(metadatas.map((m) => m.propertyName));
  // @IsOptional() and @ValidateIf() register as conditional validation: absent is fine.
  const optional = new Set(metadatas.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  const defaults = new configClass() as Record<string, unknown>;
  const required = new Set([...declared].filter((name) => !optional.has(name) && defaults[name] === undefined));
  const shared = new Set<string>(SHARED_VARIABLES);
  const mustProvide = new Set([...required, ...[...declared].filter((name) => shared.has(name))]);
  return { declared, required, mustProvide };
}

/**
 * Resolves compose-style interpolation the way `docker compose` does with an empty environment:
 * `${VAR:-default}` and `${VAR-default}` take the default, `${VAR}` becomes empty, `$$` is a `$`.
 */
export function interpolateDefaults(value: string, env: Record<string, string | undefined> = {}): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
      const set = env[name];
      return set !== undefined && set !== '' ? set : (fallback ?? '');
    })
    .replace(/\$\$/g, '$');
}
