import { hkdfSync } from 'node:crypto';
import { parseOriginList } from '../http/url-validation';

/** Injection token of the parsed settings the auth-gateway features run on. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/**
 * Everything the connection features need, already parsed (keys as bytes, lists as arrays). Built once
 * from the validated config class by `authSettingsFromEnv`; tests build it directly.
 */
export interface AuthSettings {
  hubspotApiBaseUrl: string;
  hubspotAuthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Where browsers reach this service (bridge links); defaults to the redirect URI's origin. */
  publicBaseUrl: string;
  /** Origins a flow may end at (`return_to`, bridge `redirect_uri`); empty: any. */
  returnToOrigins: string[];
  encryptionKey: Buffer;
  oldEncryptionKeys: Buffer[];
  /** HMAC key of OAuth states and bridge tokens. */
  signingSecret: Buffer;
  stateTtlSeconds: number;
  bridgeTtlSeconds: number;
  refreshMarginSeconds: number;
  tokenEndpointMaxAttempts: number;
  tokenEndpointBackoffMs: number;
  tokenEndpointMaxBackoffMs: number;
  hubspotHttpTimeoutMs: number;
  refreshLockTimeoutMs: number;
  /** Object types synced when a connect request names none (drives the required scopes). */
  defaultObjectTypes: string[];
  /** NATS queue group shared by every replica for the auth.* request handlers. */
  rpcQueue: string;
}

/** The config fields `toAuthSettings` reads (the auth-gateway config class has them all). */
export interface AuthSettingsSource {
  HUBSPOT_API_BASE_URL: string;
  HUBSPOT_AUTH_BASE_URL: string;
  HUBSPOT_CLIENT_ID: string;
  HUBSPOT_CLIENT_SECRET: string;
  HUBSPOT_REDIRECT_URI: string;
  AUTH_GATEWAY_PUBLIC_URL?: string;
  OAUTH_RETURN_TO_ORIGINS?: string;
  TOKEN_ENCRYPTION_KEY: string;
  TOKEN_ENCRYPTION_KEYS_OLD?: string;
  OAUTH_STATE_SECRET?: string;
  OAUTH_STATE_TTL_SECONDS: number;
  BRIDGE_TTL_SECONDS: number;
  TOKEN_REFRESH_MARGIN_SECONDS: number;
  TOKEN_ENDPOINT_MAX_ATTEMPTS: number;
  TOKEN_ENDPOINT_BACKOFF_MS: number;
  TOKEN_ENDPOINT_MAX_BACKOFF_MS: number;
  HUBSPOT_HTTP_TIMEOUT_MS: number;
  TOKEN_REFRESH_LOCK_TIMEOUT_MS: number;
  HUBSPOT_SYNC_OBJECT_TYPES: string;
  AUTH_RPC_QUEUE: string;
}

export function toAuthSettings(c: AuthSettingsSource): AuthSettings {
  const encryptionKey = Buffer.from(c.TOKEN_ENCRYPTION_KEY, 'base64');
  const oldEncryptionKeys = (c.TOKEN_ENCRYPTION_KEYS_OLD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Buffer.from(s, 'base64'));
  // Without an explicit secret, the signing key is derived from the encryption key (HKDF), so the
  // two are never the same bytes and deployments need one secret less.
  const signingSecret = c.OAUTH_STATE_SECRET
    ? Buffer.from(c.OAUTH_STATE_SECRET, 'utf8')
    : Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.from('hubsync'), Buffer.from('oauth-state-and-bridge-signing-v1'), 32));
  return {
    hubspotApiBaseUrl: c.HUBSPOT_API_BASE_URL,
    hubspotAuthBaseUrl: c.HUBSPOT_AUTH_BASE_URL,
    clientId: c.HUBSPOT_CLIENT_ID,
    clientSecret: c.HUBSPOT_CLIENT_SECRET,
    redirectUri: c.HUBSPOT_REDIRECT_URI,
    publicBaseUrl: c.AUTH_GATEWAY_PUBLIC_URL ?? new URL(c.HUBSPOT_REDIRECT_URI).origin,
    returnToOrigins: parseOriginList(c.OAUTH_RETURN_TO_ORIGINS),
    encryptionKey,
    oldEncryptionKeys,
    signingSecret,
    stateTtlSeconds: c.OAUTH_STATE_TTL_SECONDS,
    bridgeTtlSeconds: c.BRIDGE_TTL_SECONDS,
    refreshMarginSeconds: c.TOKEN_REFRESH_MARGIN_SECONDS,
    tokenEndpointMaxAttempts: c.TOKEN_ENDPOINT_MAX_ATTEMPTS,
    tokenEndpointBackoffMs: c.TOKEN_ENDPOINT_BACKOFF_MS,
    tokenEndpointMaxBackoffMs: c.TOKEN_ENDPOINT_MAX_BACKOFF_MS,
    hubspotHttpTimeoutMs: c.HUBSPOT_HTTP_TIMEOUT_MS,
    refreshLockTimeoutMs: c.TOKEN_REFRESH_LOCK_TIMEOUT_MS,
    defaultObjectTypes: c.HUBSPOT_SYNC_OBJECT_TYPES.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    rpcQueue: c.AUTH_RPC_QUEUE,
  };
}
