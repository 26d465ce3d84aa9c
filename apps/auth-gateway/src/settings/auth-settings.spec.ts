import { randomBytes } from 'node:crypto';
import { loadConfig } from '@hubsync/config';
import { AuthGatewayConfig } from '../config/auth-gateway.config';
import { toAuthSettings } from './auth-settings';

describe('auth-gateway configuration → settings', () => {
  const key = randomBytes(32).toString('base64');
  const env = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    NATS_URL: 'nats://127.0.0.1:4222',
    HUBSPOT_CLIENT_ID: 'client',
    HUBSPOT_CLIENT_SECRET: 'secret',
    HUBSPOT_REDIRECT_URI: 'https://connect.example.com/api/integrations/hubspot/callback',
    TOKEN_ENCRYPTION_KEY: key,
  };

  it('applies the documented defaults', () => {
    const settings = toAuthSettings(loadConfig(AuthGatewayConfig, env));
    expect(settings).toMatchObject({
      stateTtlSeconds: 600,
      refreshMarginSeconds: 300,
      publicBaseUrl: 'https://connect.example.com',
      oldEncryptionKeys: [],
      defaultObjectTypes: ['contacts', 'companies', 'deals', 'tickets', 'calls', 'emails', 'meetings', 'notes', 'tasks'],
      rpcQueue: 'auth-gateway',
    });
    expect(settings.encryptionKey.equals(Buffer.from(key, 'base64'))).toBe(true);
    // The signing key is derived, never the encryption key itself.
    expect(settings.signingSecret).toHaveLength(32);
    expect(settings.signingSecret.equals(settings.encryptionKey)).toBe(false);
  });

  it('parses old keys for rotation and an explicit state secret', () => {
    const old = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const settings = toAuthSettings(loadConfig(AuthGatewayConfig, { ...env, TOKEN_ENCRYPTION_KEYS_OLD: old.join(', '), OAUTH_STATE_SECRET: 'x'.repeat(40) }));
    expect(settings.oldEncryptionKeys.map((k) => k.toString('base64'))).toEqual(old);
    expect(settings.signingSecret.toString('utf8')).toBe('x'.repeat(40));
  });

  it('reads OAUTH_RETURN_TO_ORIGINS as origins and refuses a value with a path', () => {
    expect(toAuthSettings(loadConfig(AuthGatewayConfig, env)).returnToOrigins).toEqual([]);
    const settings = toAuthSettings(loadConfig(AuthGatewayConfig, { ...env, OAUTH_RETURN_TO_ORIGINS: 'https://app.example.com, http://localhost:8080' }));
    expect(settings.returnToOrigins).toEqual(['https://app.example.com', 'http://localhost:8080']);
    expect(() => loadConfig(AuthGatewayConfig, { ...env, OAUTH_RETURN_TO_ORIGINS: 'https://app.example.com/done' })).toThrow('OAUTH_RETURN_TO_ORIGINS');
  });

  it('names bad connection variables', () => {
    expect(() => loadConfig(AuthGatewayConfig, { ...env, TOKEN_ENCRYPTION_KEYS_OLD: 'c2hvcnQ=' })).toThrow(/TOKEN_ENCRYPTION_KEYS_OLD must be comma-separated base64 keys of 32 bytes/);
    expect(() => loadConfig(AuthGatewayConfig, { ...env, HUBSPOT_SYNC_OBJECT_TYPES: 'contacts,widgets' })).toThrow(/HUBSPOT_SYNC_OBJECT_TYPES/);
    expect(() => loadConfig(AuthGatewayConfig, { ...env, TOKEN_ENDPOINT_MAX_ATTEMPTS: '0' })).toThrow(/TOKEN_ENDPOINT_MAX_ATTEMPTS/);
    expect(() => loadConfig(AuthGatewayConfig, { ...env, OAUTH_STATE_SECRET: 'short' })).toThrow(/OAUTH_STATE_SECRET/);
  });
});
