import { IsBoolean, IsInt, IsOptional } from 'class-validator';
import { BaseServiceConfig } from './base-service.config';
import { EnvBoolean, IsBase64Key, IsHttpUrl } from './env-decorators';
import { ConfigValidationError, loadConfig } from './load-config';

class ExampleConfig extends BaseServiceConfig {
  override PORT = 3999;

  @IsHttpUrl()
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

  @IsBase64Key(32)
  TOKEN_ENCRYPTION_KEY!: string;

  @IsInt()
  ACK_WAIT_MS = 30_000;

  @EnvBoolean()
  @IsBoolean()
  FEATURE_ON = false;

  @IsOptional()
  @IsHttpUrl()
  OPTIONAL_URL?: string;
}

const key = Buffer.alloc(32, 7).toString('base64');
const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  NATS_URL: 'nats://127.0.0.1:4222',
  TOKEN_ENCRYPTION_KEY: key,
};

describe('loadConfig', () => {
  it('reads declared variables, converts numbers/booleans and applies defaults', () => {
    const config = loadConfig(ExampleConfig, { ...valid, ACK_WAIT_MS: '500', FEATURE_ON: 'false', UNRELATED: 'x' });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config.PORT).toBe(3999);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.ACK_WAIT_MS).toBe(500);
    expect(config.FEATURE_ON).toBe(false);
    expect(config.HUBSPOT_API_BASE_URL).toBe('https://api.hubapi.com');
    expect((config as unknown as Record<string, unknown>)['UNRELATED']).toBeUndefined();
  });

  it('lets the environment override a default PORT', () => {
    expect(loadConfig(ExampleConfig, { ...valid, PORT: '4100' }).PORT).toBe(4100);
  });

  it('names a missing DATABASE_URL', () => {
    const { DATABASE_URL: _omit, ...rest } = valid;
    expect(() => loadConfig(ExampleConfig, rest)).toThrow(/Invalid configuration: .*DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(() => loadConfig(ExampleConfig, { ...valid, NATS_URL: '' })).toThrow(/NATS_URL must be a nats:\/\/ URL/);
  });

  it('names every bad variable at once and never echoes values', () => {
    let error: unknown;
    try {
      loadConfig(ExampleConfig, {
        DATABASE_URL: 'mysql://secret-host/db',
        NATS_URL: 'nats://127.0.0.1:4222',
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
        FEATURE_ON: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'TOKEN_ENCRYPTION_KEY', 'FEATURE_ON']) expect(message).toContain(name);
    expect(message).not.toContain('NATS_URL');
    expect(message).not.toContain('secret-host');
    expect(message).not.toContain('c2hvcnQ=');
  });

  it('rejects a port out of range and accepts a NATS seed list', () => {
    expect(() => loadConfig(ExampleConfig, { ...valid, PORT: '70000' })).toThrow(/PORT must be between 1 and 65535/);
    expect(loadConfig(ExampleConfig, { ...valid, NATS_URL: 'nats://a:4222, nats://b:4222' }).NATS_URL).toContain('nats://b');
  });

  it('validates optional variables only when set', () => {
    expect(loadConfig(ExampleConfig, valid).OPTIONAL_URL).toBeUndefined();
    expect(() => loadConfig(ExampleConfig, { ...valid, OPTIONAL_URL: 'ftp://x' })).toThrow(/OPTIONAL_URL/);
  });
});
