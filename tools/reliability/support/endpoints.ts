import type { ServiceApp } from '@hubsync/test-stack';

/**
 * Every REST endpoint of sync-api and auth-gateway, as read from their controllers
 * (apps/sync-api/src/**\/*.controller.ts, apps/auth-gateway/src/**\/*.controller.ts). The fuzz,
 * isolation and "nothing answers without a key" suites walk this list; the fuzz suite also checks it
 * against sync-api's OpenAPI document so a new endpoint cannot escape them unnoticed.
 */
export type Auth =
  /** x-api-key required. */
  | 'api-key'
  /** x-api-key or a bridge token in the query. */
  | 'api-key-or-bridge'
  /** The OAuth callback: no key, the signed state authenticates. */
  | 'oauth-callback'
  /** HubSpot webhooks: the v3 signature authenticates. */
  | 'webhook-signature';

/** Resources addressed by an id in the path (isolation: another org's id must answer 404). */
export type ResourceKind = 'elt_sync' | 'elt_stream' | 'connection' | 'api_key';

export interface Endpoint {
  app: Extract<ServiceApp, 'sync-api' | 'auth-gateway'>;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express-style template; `:id` is the resource id. */
  path: string;
  auth: Auth;
  resource?: ResourceKind;
  /** Where the optional `organization_uid` goes, if the endpoint takes one. */
  organizationIn?: 'query' | 'body';
  /** Query parameters the endpoint knows. */
  query?: string[];
  /** Body fields the endpoint knows (a JSON object body); `free` = validated by a service, not a DTO. */
  body?: string[] | 'free' | 'webhook-events';
  /** Server-sent events: the answer never ends, only its status is read. */
  sse?: boolean;
  /** Changes or removes the resource it names (fuzzed last, after the read-only and additive ones). */
  destructive?: boolean;
}

const ORG = 'organization_uid';

export const ENDPOINTS: Endpoint[] = [
  // sync-api — Exante (apps/sync-api/src/hubspot-sync/hubspot-sync.controller.ts)
  { app: 'sync-api', method: 'POST', path: '/api/integrations/hubspot/sync', auth: 'api-key', organizationIn: 'body', body: [ORG, 'deal_stages', 'mode'] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/status', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/stages', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  // sync-api — Stanna (stanna/stanna.controller.ts)
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/status', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'POST', path: '/api/integrations/hubspot/backfill', auth: 'api-key', organizationIn: 'body', body: [ORG, 'lookback', 'object_types'] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/status', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'POST', path: '/api/ingest/run', auth: 'api-key', organizationIn: 'body', body: [ORG] },
  { app: 'sync-api', method: 'GET', path: '/api/ingest/status', auth: 'api-key', organizationIn: 'query', query: [ORG, 'run_id'] },
  // sync-api — operator (operator/operator.controller.ts, mappings/mappings.controller.ts)
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/runs', auth: 'api-key', organizationIn: 'query', query: [ORG, 'limit', 'cursor'] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/events', auth: 'api-key', organizationIn: 'query', query: [ORG, 'run_id', 'after_id', 'limit', 'level'] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/events/stream', auth: 'api-key', organizationIn: 'query', query: [ORG, 'run_id', 'after_id', 'level'], sse: true },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/skipped-records', auth: 'api-key', organizationIn: 'query', query: [ORG, 'object_type', 'rule', 'run_id', 'examples'] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/filters', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'PUT', path: '/api/integrations/hubspot/filters', auth: 'api-key', organizationIn: 'query', query: [ORG], body: 'free' },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/rate-limits', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/mappings', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'PUT', path: '/api/integrations/hubspot/mappings', auth: 'api-key', organizationIn: 'query', query: [ORG], body: 'free' },
  // sync-api — management API (elt/elt-syncs.controller.ts)
  { app: 'sync-api', method: 'GET', path: '/elt_syncs', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'POST', path: '/elt_syncs', auth: 'api-key', organizationIn: 'body', body: [ORG, 'connection_id', 'destination_schema_name', 'sync_interval', 'time_zone'] },
  { app: 'sync-api', method: 'GET', path: '/elt_syncs/:id', auth: 'api-key', resource: 'elt_sync' },
  { app: 'sync-api', method: 'POST', path: '/elt_syncs/:id', auth: 'api-key', resource: 'elt_sync', body: ['destination_schema_name', 'sync_interval', 'time_zone'] },
  { app: 'sync-api', method: 'POST', path: '/elt_syncs/:id/enable', auth: 'api-key', resource: 'elt_sync' },
  { app: 'sync-api', method: 'POST', path: '/elt_syncs/:id/disable', auth: 'api-key', resource: 'elt_sync', destructive: true },
  { app: 'sync-api', method: 'GET', path: '/elt_syncs/:id/status', auth: 'api-key', resource: 'elt_sync' },
  { app: 'sync-api', method: 'GET', path: '/elt_syncs/:id/available_source_streams', auth: 'api-key', resource: 'elt_sync' },
  { app: 'sync-api', method: 'POST', path: '/elt_syncs/:id/source_streams', auth: 'api-key', resource: 'elt_sync', body: ['source_streams'] },
  { app: 'sync-api', method: 'POST', path: '/elt_streams/:id/request_run', auth: 'api-key', resource: 'elt_stream' },
  { app: 'sync-api', method: 'POST', path: '/elt_streams/:id/request_full_refresh', auth: 'api-key', resource: 'elt_stream' },
  { app: 'sync-api', method: 'DELETE', path: '/elt_syncs/:id', auth: 'api-key', resource: 'elt_sync', destructive: true },
  // sync-api — webhooks (webhooks/*.controller.ts)
  { app: 'sync-api', method: 'POST', path: '/api/integrations/hubspot/webhooks', auth: 'webhook-signature', body: 'webhook-events' },
  { app: 'sync-api', method: 'POST', path: '/api/integrations/hubspot/webhooks/subscribe', auth: 'api-key', organizationIn: 'body', body: [ORG, 'target_url', 'subscriptions', 'max_concurrent_requests'] },
  // sync-api — API keys (api-keys/api-keys.controller.ts)
  { app: 'sync-api', method: 'GET', path: '/api/keys', auth: 'api-key', organizationIn: 'query', query: [ORG] },
  { app: 'sync-api', method: 'POST', path: '/api/keys', auth: 'api-key', organizationIn: 'body', body: [ORG, 'name'] },
  { app: 'sync-api', method: 'DELETE', path: '/api/keys/:id', auth: 'api-key', resource: 'api_key', organizationIn: 'query', query: [ORG], destructive: true },
  // auth-gateway (oauth/oauth.controller.ts, connections/connections.controller.ts, bridges/bridges.controller.ts)
  { app: 'auth-gateway', method: 'GET', path: '/api/integrations/hubspot/start', auth: 'api-key-or-bridge', organizationIn: 'query', query: [ORG, 'return_to', 'object_types', 'label', 'bridge'] },
  { app: 'auth-gateway', method: 'GET', path: '/api/integrations/hubspot/callback', auth: 'oauth-callback', query: ['code', 'state', 'error', 'error_description'] },
  { app: 'auth-gateway', method: 'POST', path: '/api/integrations/hubspot/connections', auth: 'api-key', organizationIn: 'body', body: [ORG, 'access_token', 'label', 'object_types'] },
  { app: 'auth-gateway', method: 'GET', path: '/connections', auth: 'api-key', organizationIn: 'query', query: [ORG, 'include_disconnected'] },
  { app: 'auth-gateway', method: 'GET', path: '/connections/:id', auth: 'api-key', resource: 'connection' },
  { app: 'auth-gateway', method: 'POST', path: '/connection_bridges', auth: 'api-key', organizationIn: 'body', body: [ORG, 'integration_id', 'label', 'redirect_uri'] },
  { app: 'auth-gateway', method: 'DELETE', path: '/connections/:id', auth: 'api-key', resource: 'connection', destructive: true },
];

/** Paths every service answers without a key (libs/observability). */
export const PUBLIC_OPERATIONAL_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** sync-api's API documentation (public by design: it holds no tenant data). */
export const SYNC_API_DOC_PATHS = ['/docs', '/docs-json'];

export function endpointName(e: Endpoint): string {
  return `${e.app} ${e.method} ${e.path}`;
}

export function pathWithId(e: Endpoint, id: string): string {
  // A lone surrogate cannot be percent-encoded; a client would send U+FFFD in its place.
  return e.path.replace(':id', encodeURIComponent((id as string & { toWellFormed(): string }).toWellFormed()));
}

/** OpenAPI paths use `{id}`; ours use `:id`. */
export function openApiKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, ':id')}`;
}
