import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@hubsync/config';
import {
  APPS,
  AppName,
  SANDBOX_ADMIN_TOKEN,
  interpolateDefaults,
  loadAppConfig,
  workspaceRoot,
} from './deploy-spec-support';

interface ComposeService {
  image?: string;
  build?: { context?: string; target?: string } | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  command?: string | string[];
  volumes?: string[];
  ports?: string[];
  restart?: string;
  read_only?: boolean;
  cap_drop?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose: ComposeFile = parse(readFileSync(join(workspaceRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8');
const services = compose.services;
const ONE_SHOT = 'migrate';
const DEFAULT_PORTS: Record<AppName, number> = {
  'sync-api': 3000,
  'auth-gateway': 3001,
  fetcher: 3002,
  mapper: 3003,
  'hubspot-sandbox': 4010,
};

/** A service's environment with compose's `${VAR:-default}` resolved as on a machine with nothing set. */
function environmentOf(name: string): Record<string, string> {
  const raw = services[name]?.environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(raw)
    ? raw.map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolateDefaults(v)]));
}

function dependsOn(name: string): Record<string, { condition?: string }> {
  const deps = services[name]?.depends_on ?? {};
  // The short (list) form has no condition; every entry must say what it waits for.
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, {}]));
  return deps;
}

function healthcheckCommand(name: string): string {
  const test = services[name]?.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/** `127.0.0.1:3001:3001` → { host: 3001, container: 3001 }. */
function publishedPorts(name: string): Array<{ host: number; container: number }> {
  return (services[name]?.ports ?? []).map((spec) => {
    const parts = interpolateDefaults(String(spec)).split(':');
    return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
  });
}

function dockerfileTargets(): Set<string> {
  return new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
}

describe('docker-compose.yml', () => {
  it('runs postgres, nats, the one-shot migrate service and the five apps', () => {
    expect(Object.keys(services).sort()).toEqual(['nats', 'postgres', ONE_SHOT, ...APPS].sort());
  });

  it('gives every service an image or a build', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, hasImageOrBuild: Boolean(service.image || service.build) }).toEqual({ name, hasImageOrBuild: true });
    }
  });

  it.each([...APPS, ONE_SHOT])('builds %s from its own target of the one Dockerfile', (name) => {
    const build = services[name].build;
    expect(typeof build).toBe('object');
    const { context, target } = build as { context?: string; target?: string };
    expect(context).toBe('.');
    expect(target).toBe(name);
    expect(dockerfileTargets()).toContain(name);
  });

  it('gives every long-running service a healthcheck, and only the one-shot service none', () => {
    for (const name of Object.keys(services)) {
      if (name === ONE_SHOT) {
        expect(services[name].healthcheck?.disable).toBe(true);
        expect(services[name].restart).toBe('no');
      } else {
        expect({ name, healthcheck: healthcheckCommand(name).length > 0 }).toEqual({ name, healthcheck: true });
      }
    }
  });

  it('waits on dependencies by condition: healthy services, and migrations that completed', () => {
    for (const name of Object.keys(services)) {
      for (const [dep, spec] of Object.entries(dependsOn(name))) {
        expect(Object.keys(services)).toContain(dep);
        const expected = dep === ONE_SHOT ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dep, condition: spec.condition }).toEqual({ name, dep, condition: expected });
      }
    }
  });

  it('starts every app that uses the database or NATS only after postgres, nats and the migrations', () => {
    for (const app of APPS) {
      const env = environmentOf(app);
      const deps = dependsOn(app);
      if (env['DATABASE_URL']) {
        expect({ app, postgres: deps['postgres']?.condition }).toEqual({ app, postgres: 'service_healthy' });
        expect({ app, migrate: deps[ONE_SHOT]?.condition }).toEqual({ app, migrate: 'service_completed_successfully' });
      }
      if (env['NATS_URL']) expect({ app, nats: deps['nats']?.condition }).toEqual({ app, nats: 'service_healthy' });
      if (env['HUBSPOT_API_BASE_URL']) {
        expect({ app, sandbox: deps['hubspot-sandbox']?.condition }).toEqual({ app, sandbox: 'service_healthy' });
      }
    }
    expect(dependsOn(ONE_SHOT)['postgres']?.condition).toBe('service_healthy');
  });

  it('runs PostgreSQL 16+ on a named volume, checked with pg_isready', () => {
    const pg = services['postgres'];
    const major = Number(/^postgres:(\d+)/.exec(pg.image ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(16);
    expect(pg.volumes?.some((v) => /^\w+:\/var\/lib\/postgresql\/data$/.test(v) && compose.volumes?.[v.split(':')[0]] !== undefined)).toBe(true);
    expect(healthcheckCommand('postgres')).toMatch(/pg_isready/);
  });

  it('runs NATS with JetStream on a named volume, checked through the monitoring port', () => {
    const nats = services['nats'];
    const command = Array.isArray(nats.command) ? nats.command : String(nats.command ?? '').split(/\s+/);
    expect(command).toContain('-js');
    expect(command.slice(command.indexOf('-m'))[1]).toBe('8222');
    const storeDir = command[command.indexOf('-sd') + 1];
    const volume = nats.volumes?.find((v) => storeDir.startsWith(v.split(':')[1]));
    expect(volume).toBeDefined();
    expect(compose.volumes?.[String(volume).split(':')[0]]).toBeDefined();
    expect(healthcheckCommand('nats')).toMatch(/http:\/\/127\.0\.0\.1:8222\/healthz/);
  });

  it.each([...APPS])('probes %s on /health/ready at the port it listens on and publishes', (app) => {
    const port = Number(environmentOf(app)['PORT']);
    expect(port).toBe(DEFAULT_PORTS[app]);
    // Slim images have no curl: the probe is a Node one-liner.
    expect(healthcheckCommand(app)).toContain(`node -e fetch('http://127.0.0.1:${port}/health/ready')`);
    expect(publishedPorts(app)).toContainEqual({ host: port, container: port });
  });

  it.each([...APPS])('gives %s every variable its config class requires (and every shared one it declares), nothing it does not declare', async (app) => {
    const config = await loadAppConfig(app);
    const env = environmentOf(app);
    const missing = [...config.mustProvide].filter((name) => !(name in env));
    expect({ app, config: config.file, missing }).toEqual({ app, config: config.file, missing: [] });
    const undeclared = Object.keys(env).filter((name) => !config.declared.has(name));
    expect({ app, config: config.file, undeclared }).toEqual({ app, config: config.file, undeclared: [] });
  });

  it.each([...APPS])('makes %s listen on all interfaces when its config has a bind address', async (app) => {
    // A loopback bind would pass the container's own healthcheck yet be unreachable from the others.
    const config = await loadAppConfig(app);
    if (config.declared.has('HOST')) expect(environmentOf(app)['HOST']).toBe('0.0.0.0');
  });

  it.each([...APPS])('gives %s values its config class accepts at boot', async (app) => {
    const config = await loadAppConfig(app);
    expect(() => loadConfig(config.configClass as new () => object, environmentOf(app))).not.toThrow();
  });

  it('hands the sandbox admin token to the sandbox and to no other service', () => {
    expect(environmentOf('hubspot-sandbox')[SANDBOX_ADMIN_TOKEN]).toBeTruthy();
    for (const name of Object.keys(services).filter((n) => n !== 'hubspot-sandbox')) {
      expect({ name, hasAdminToken: SANDBOX_ADMIN_TOKEN in environmentOf(name) }).toEqual({ name, hasAdminToken: false });
    }
  });

  it('points HubSpot at the sandbox: server calls over the compose network, the browser at the published port', () => {
    const sandboxPort = Number(environmentOf('hubspot-sandbox')['PORT']);
    const gatewayPort = Number(environmentOf('auth-gateway')['PORT']);
    for (const app of APPS) {
      const env = environmentOf(app);
      if (env['HUBSPOT_API_BASE_URL']) {
        const api = new URL(env['HUBSPOT_API_BASE_URL']);
        expect({ app, host: api.hostname, port: Number(api.port) }).toEqual({ app, host: 'hubspot-sandbox', port: sandboxPort });
      }
      if (env['HUBSPOT_AUTH_BASE_URL']) {
        const auth = new URL(env['HUBSPOT_AUTH_BASE_URL']);
        expect(['localhost', '127.0.0.1']).toContain(auth.hostname);
        expect(publishedPorts('hubspot-sandbox')).toContainEqual({ host: Number(auth.port), container: sandboxPort });
      }
      if (env['HUBSPOT_REDIRECT_URI']) {
        const redirect = new URL(env['HUBSPOT_REDIRECT_URI']);
        expect(redirect.pathname).toBe('/api/integrations/hubspot/callback');
        expect(publishedPorts('auth-gateway')).toContainEqual({ host: Number(redirect.port), container: gatewayPort });
      }
    }
  });

  it('connects everything to the compose postgres and nats with matching credentials', () => {
    const pg = environmentOf('postgres');
    for (const name of Object.keys(services)) {
      const env = environmentOf(name);
      if (env['DATABASE_URL']) {
        const url = new URL(env['DATABASE_URL']);
        expect({ name, host: url.hostname, user: url.username, password: url.password, db: url.pathname.slice(1) }).toEqual({
          name,
          host: 'postgres',
          user: pg['POSTGRES_USER'],
          password: pg['POSTGRES_PASSWORD'],
          db: pg['POSTGRES_DB'],
        });
      }
      if (env['NATS_URL']) expect(new URL(env['NATS_URL']).hostname).toBe('nats');
    }
  });

  it('runs the apps hardened: read-only root filesystem with a /tmp tmpfs, no capabilities', () => {
    for (const app of APPS) {
      const service = services[app] as ComposeService & { tmpfs?: string[] };
      expect({ app, readOnly: service.read_only, capDrop: service.cap_drop, tmpfs: service.tmpfs }).toEqual({
        app,
        readOnly: true,
        capDrop: ['ALL'],
        tmpfs: ['/tmp'],
      });
    }
  });
});
