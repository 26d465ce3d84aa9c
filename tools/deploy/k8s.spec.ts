import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { loadConfig } from '@hubsync/config';
import { APPS, SANDBOX_ADMIN_TOKEN, interpolateDefaults, loadAppConfig, workspaceRoot } from './deploy-spec-support';

// Manifests are plain parsed YAML, hence `any` below.
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

const K8S_DIR = join(workspaceRoot, 'k8s');

/** Kubernetes schema (kubernetes-models) for each kind we ship; anything else is a test failure. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8'));
const manifestFiles = yamlFiles(K8S_DIR).filter((f) => !f.endsWith('kustomization.yaml'));
const manifests: Array<Manifest & { file: string }> = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${relative(workspaceRoot, file)}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null)
    .map((m) => ({ ...m, file: relative(workspaceRoot, file) })),
);

function all(kind: string): Array<Manifest & { file: string }> {
  return manifests.filter((m) => m.kind === kind);
}

function one(kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} under k8s/`);
  return found;
}

function podTemplates(): Array<{ owner: string; spec: any }> {
  return [...all('Deployment'), ...all('StatefulSet'), ...all('Job')].map((m) => ({
    owner: `${m.kind}/${m.metadata.name}`,
    spec: m.spec.template.spec,
  }));
}

/** Kubernetes quantities: cpu `250m`/`2`, memory `512Mi`/`1Gi`. */
function quantity(value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity: ${value}`);
  const factor: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1);
}

function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The names an app's container gets and where each value comes from. */
function containerEnv(container: any): Map<string, any> {
  return new Map((container.env ?? []).map((e: any) => [e.name, e]));
}

/** Ingress path matching as Kubernetes defines it: Exact, then the longest element-wise Prefix. */
function route(ingress: Manifest, path: string): string | undefined {
  const paths: Array<{ path: string; pathType: string; backend: any }> = ingress.spec.rules.flatMap((r: any) => r.http.paths);
  const exact = paths.find((p) => p.pathType === 'Exact' && p.path === path);
  if (exact) return exact.backend.service.name;
  const elements = (p: string) => p.split('/').filter(Boolean);
  const prefixes = paths
    .filter((p) => p.pathType === 'Prefix')
    .filter((p) => {
      const want = elements(p.path);
      const got = elements(path);
      return want.every((segment, i) => got[i] === segment);
    })
    .sort((a, b) => elements(b.path).length - elements(a.path).length);
  return prefixes[0]?.backend.service.name;
}

describe('k8s/ (kustomize)', () => {
  it('lists every manifest file in kustomization.yaml, and only existing ones', () => {
    const listed = (kustomization.resources as string[]).map((r) => join('k8s', r)).sort();
    expect(listed).toEqual(manifestFiles.map((f) => relative(workspaceRoot, f)).sort());
    expect(kustomization.namespace).toBe('hubsync');
  });

  it('validates every manifest against the Kubernetes schema', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      const { file, ...object } = manifest;
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect({ file, kind: `${object.apiVersion}/${object.kind}`, known: Boolean(Model) }).toEqual({
        file,
        kind: `${object.apiVersion}/${object.kind}`,
        known: true,
      });
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it('would reject a broken manifest (the schema check is real)', () => {
    const broken = structuredClone(one('Deployment', 'fetcher'));
    delete broken.spec.selector;
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(broken).validate()).toThrow(/selector|containerPort/);
  });

  it('ships the namespace, config, secret template, data stores, migration job and ingress', () => {
    expect(one('Namespace', 'hubsync')).toBeDefined();
    expect(one('ConfigMap', 'hubsync-config')).toBeDefined();
    expect(one('Secret', 'hubsync-secrets')).toBeDefined();
    expect(one('Job', 'hubsync-migrate')).toBeDefined();
    expect(one('Ingress', 'hubsync')).toBeDefined();
    expect(all('StatefulSet').map((s) => s.metadata.name).sort()).toEqual(['nats', 'postgres']);
    expect(all('Deployment').map((d) => d.metadata.name).sort()).toEqual([...APPS].sort());
  });

  it('keeps real secrets out of the repository: every Secret value is a placeholder', () => {
    for (const secret of all('Secret')) {
      expect(secret.data).toBeUndefined();
      for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) {
        expect({ secret: secret.metadata.name, key, placeholder: String(value).includes('REPLACE_ME') }).toEqual({
          secret: secret.metadata.name,
          key,
          placeholder: true,
        });
      }
    }
  });

  describe.each([...APPS])('%s', (app) => {
    const deployment = one('Deployment', app);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const port = container.ports.find((p: any) => p.name === 'http');

    it('runs its image and listens on the port it is told', () => {
      expect(pod.containers).toHaveLength(1);
      expect(container.image).toBe(`hubsync/${app}`);
      expect(containerEnv(container).get('PORT')?.value).toBe(String(port.containerPort));
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    });

    it('is probed on /health/ready (readiness) and /health/live (liveness)', () => {
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      if (container.startupProbe) expect(container.startupProbe.httpGet.path).toMatch(/^\/health\//);
    });

    it('has a Service in front of its http port', () => {
      const service = one('Service', app);
      expect(matches(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
      expect(service.spec.ports.map((p: any) => p.targetPort)).toContain('http');
    });

    it('has a PodDisruptionBudget covering its pods', () => {
      const pdb = one('PodDisruptionBudget', app);
      expect(matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
      expect(pdb.spec.maxUnavailable ?? pdb.spec.minAvailable).toBeDefined();
    });

    it('gets every variable its config class requires (and every shared one it declares), nothing it does not declare', async () => {
      const config = await loadAppConfig(app);
      const env = containerEnv(container);
      const missing = [...config.mustProvide].filter((name) => !env.has(name));
      expect({ app, config: config.file, missing }).toEqual({ app, config: config.file, missing: [] });
      const undeclared = [...env.keys()].filter((name) => !config.declared.has(name));
      expect({ app, config: config.file, undeclared }).toEqual({ app, config: config.file, undeclared: [] });
      expect(container.envFrom).toBeUndefined();
    });

    it('listens on all interfaces when its config has a bind address', async () => {
      const config = await loadAppConfig(app);
      if (config.declared.has('HOST')) expect(containerEnv(container).get('HOST')?.value).toBe('0.0.0.0');
    });

    it('reads its variables from keys that exist, secrets from Secrets', () => {
      for (const entry of containerEnv(container).values()) {
        const from = entry.valueFrom;
        if (!from) continue;
        const ref = from.configMapKeyRef ?? from.secretKeyRef;
        const source = one(from.configMapKeyRef ? 'ConfigMap' : 'Secret', ref.name);
        const keys = Object.keys(source.data ?? source.stringData ?? {});
        expect({ variable: entry.name, key: ref.key, exists: keys.includes(ref.key) }).toEqual({ variable: entry.name, key: ref.key, exists: true });
        if (['DATABASE_URL', 'HUBSPOT_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY', SANDBOX_ADMIN_TOKEN].includes(entry.name)) {
          expect({ variable: entry.name, fromSecret: Boolean(from.secretKeyRef) }).toEqual({ variable: entry.name, fromSecret: true });
        }
      }
    });

    it('accepts the ConfigMap values at boot (secrets stood in for by the compose development values)', async () => {
      const config = await loadAppConfig(app);
      const configMap = one('ConfigMap', 'hubsync-config').data as Record<string, string>;
      const composeEnv = parse(readFileSync(join(workspaceRoot, 'docker-compose.yml'), 'utf8'), { merge: true }).services[app]
        .environment as Record<string, string>;
      const env: Record<string, string> = {};
      for (const entry of containerEnv(container).values()) {
        if (entry.value !== undefined) env[entry.name] = entry.value;
        else if (entry.valueFrom.configMapKeyRef) env[entry.name] = configMap[entry.valueFrom.configMapKeyRef.key];
        else env[entry.name] = interpolateDefaults(String(composeEnv[entry.name]));
      }
      expect(() => loadConfig(config.configClass as new () => object, env)).not.toThrow();
    });
  });

  it('gives the sandbox admin token to the sandbox only', () => {
    for (const { owner, spec } of podTemplates()) {
      const names = spec.containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.name));
      const fromAdminSecret = JSON.stringify(spec).includes('hubspot-sandbox-admin');
      const isSandbox = owner === 'Deployment/hubspot-sandbox';
      expect({ owner, hasToken: names.includes(SANDBOX_ADMIN_TOKEN) || fromAdminSecret }).toEqual({ owner, hasToken: isSandbox });
    }
  });

  it('sets requests and limits (requests within limits) on every container', () => {
    for (const { owner, spec } of podTemplates()) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const resource of ['cpu', 'memory']) {
          const request = c.resources?.requests?.[resource];
          const limit = c.resources?.limits?.[resource];
          expect({ owner, resource, request: Boolean(request), limit: Boolean(limit) }).toEqual({ owner, resource, request: true, limit: true });
          expect(quantity(request)).toBeLessThanOrEqual(quantity(limit));
        }
      }
    }
  });

  it('runs every pod non-root, read-only, without privilege escalation or capabilities, with a writable /tmp where needed', () => {
    for (const { owner, spec } of podTemplates()) {
      expect({ owner, seccomp: spec.securityContext?.seccompProfile?.type }).toEqual({ owner, seccomp: 'RuntimeDefault' });
      expect({ owner, uid: spec.securityContext?.runAsUser > 0 }).toEqual({ owner, uid: true });
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const c of spec.containers) {
        const sc = c.securityContext ?? {};
        expect({ owner, container: c.name, runAsNonRoot: sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot }).toEqual({
          owner,
          container: c.name,
          runAsNonRoot: true,
        });
        expect({ owner, readOnlyRootFilesystem: sc.readOnlyRootFilesystem, allowPrivilegeEscalation: sc.allowPrivilegeEscalation, drop: sc.capabilities?.drop }).toEqual({
          owner,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          drop: ['ALL'],
        });
        expect(sc.privileged).not.toBe(true);
      }
    }
    // Node services get an emptyDir /tmp: the root filesystem is read-only.
    for (const deployment of all('Deployment')) {
      const spec = deployment.spec.template.spec;
      const mount = spec.containers[0].volumeMounts?.find((m: any) => m.mountPath === '/tmp');
      expect(mount).toBeDefined();
      expect(spec.volumes.find((v: any) => v.name === mount.name)?.emptyDir).toBeDefined();
    }
  });

  it('autoscales fetcher and mapper, and leaves their replica count to the autoscaler', () => {
    const hpas = all('HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['fetcher', 'mapper']);
    for (const hpa of hpas) {
      expect(hpa.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      expect(hpa.spec.metrics.length).toBeGreaterThan(0);
      expect(one('Deployment', hpa.spec.scaleTargetRef.name).spec.replicas).toBeUndefined();
    }
  });

  it('scales fetchers up one pod at a time', () => {
    const scaleUp = one('HorizontalPodAutoscaler', 'fetcher').spec.behavior.scaleUp;
    expect(scaleUp.policies.length).toBeGreaterThan(0);
    for (const policy of scaleUp.policies) expect(policy).toMatchObject({ type: 'Pods', value: 1 });
  });

  it('routes connection endpoints to auth-gateway and the rest of the public API to sync-api', () => {
    const ingress = one('Ingress', 'hubsync');
    const expectations: Array<[string, string | undefined]> = [
      ['/api/integrations/hubspot/start', 'auth-gateway'],
      ['/api/integrations/hubspot/callback', 'auth-gateway'],
      ['/api/integrations/hubspot/connections', 'auth-gateway'],
      ['/api/integrations/hubspot/connections/4f1c', 'auth-gateway'],
      ['/connection_bridges', 'auth-gateway'],
      ['/connections', 'auth-gateway'],
      ['/connections/4f1c', 'auth-gateway'],
      ['/api/integrations/hubspot/status', 'sync-api'],
      ['/api/stanna/clients', 'sync-api'],
      ['/api', 'sync-api'],
      ['/elt_syncs', 'sync-api'],
      ['/elt_syncs/7/runs', 'sync-api'],
      ['/elt_streams', 'sync-api'],
      ['/docs', 'sync-api'],
      ['/docs/swagger.json', 'sync-api'],
      ['/docs-json', 'sync-api'],
      // Operational endpoints stay inside the cluster.
      ['/metrics', undefined],
      ['/health/ready', undefined],
      ['/connections_export', undefined],
    ];
    for (const [path, service] of expectations) expect({ path, service: route(ingress, path) }).toEqual({ path, service });
    for (const backend of ingress.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service))) {
      expect(one('Service', backend.name).spec.ports.map((p: any) => p.name)).toContain(backend.port.name);
    }
  });

  it('registers a redirect URI that the ingress routes to the auth-gateway callback', () => {
    const redirect = new URL(one('ConfigMap', 'hubsync-config').data.HUBSPOT_REDIRECT_URI);
    const ingress = one('Ingress', 'hubsync');
    expect(ingress.spec.rules.map((r: any) => r.host)).toContain(redirect.hostname);
    expect(route(ingress, redirect.pathname)).toBe('auth-gateway');
  });

  it('runs the migration Job from the migrate image with the database URL from the Secret', () => {
    const job = one('Job', 'hubsync-migrate');
    const spec = job.spec.template.spec;
    expect(['Never', 'OnFailure']).toContain(spec.restartPolicy);
    expect(spec.containers[0].image).toBe('hubsync/migrate');
    expect(containerEnv(spec.containers[0]).get('DATABASE_URL')?.valueFrom.secretKeyRef).toEqual({ name: 'hubsync-secrets', key: 'DATABASE_URL' });
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
  });

  it('runs NATS with JetStream on a persistent volume, probed on its monitoring port', () => {
    const nats = one('StatefulSet', 'nats');
    const container = nats.spec.template.spec.containers[0];
    expect(container.args).toContain('-js');
    const storeDir: string = container.args[container.args.indexOf('-sd') + 1];
    const monitorPort = Number(container.args[container.args.indexOf('-m') + 1]);
    const claim = nats.spec.volumeClaimTemplates[0].metadata.name;
    const mount = container.volumeMounts.find((m: any) => m.name === claim);
    expect(storeDir.startsWith(mount.mountPath)).toBe(true);
    expect(container.ports.find((p: any) => p.name === container.readinessProbe.httpGet.port).containerPort).toBe(monitorPort);
    expect(container.readinessProbe.httpGet.path).toMatch(/^\/healthz/);
    expect(one('Service', 'nats').spec.ports.map((p: any) => p.port)).toContain(4222);
    expect(new URL(one('ConfigMap', 'hubsync-config').data.NATS_URL).hostname).toBe('nats');
  });

  it('runs PostgreSQL on a persistent volume, with the password from the Secret', () => {
    const pg = one('StatefulSet', 'postgres');
    const container = pg.spec.template.spec.containers[0];
    const env = containerEnv(container);
    const claim = pg.spec.volumeClaimTemplates[0].metadata.name;
    const mount = container.volumeMounts.find((m: any) => m.name === claim);
    expect(String(env.get('PGDATA')?.value).startsWith(mount.mountPath)).toBe(true);
    expect(env.get('POSTGRES_PASSWORD')?.valueFrom.secretKeyRef.name).toBe('hubsync-secrets');
    expect(JSON.stringify(container.readinessProbe)).toMatch(/pg_isready/);
    expect(new URL(one('Secret', 'hubsync-secrets').stringData.DATABASE_URL).hostname).toBe('postgres');
  });

  it('pins an image tag in kustomization.yaml for every hubsync image', () => {
    const images = new Set(podTemplates().flatMap(({ spec }) => spec.containers.map((c: any) => c.image)).filter((i: string) => i.startsWith('hubsync/')));
    const tagged = new Set((kustomization.images as Array<{ name: string; newTag?: string }>).filter((i) => i.newTag).map((i) => i.name));
    for (const image of images) expect(tagged).toContain(image);
  });
});
