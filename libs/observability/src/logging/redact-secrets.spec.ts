import { Writable } from 'node:stream';
import pino from 'pino';
import { buildLoggerOptions } from './logger-options';
import { redactSecrets } from './redact-secrets';

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = buildLoggerOptions('test-service', 'debug');
  // pino-http-only options are not pino options.
  const { autoLogging: _a, customLogLevel: _c, ...pinoOptions } = options as Record<string, unknown>;
  const logger = pino(pinoOptions as pino.LoggerOptions, stream);
  return { logger, output: () => lines.join('') };
}

describe('log redaction', () => {
  const secrets = {
    access: 'at-9f8e7d6c5b4a',
    refresh: 'rt-0a1b2c3d4e5f',
    clientSecret: 'cs-abcdef123456',
    apiKey: 'hsk_ab12cd34_s3cr3tpart',
    password: 'hunter2-pass',
    bearer: 'eyJhbGciOiJIUzI1NiJ9.payload.sig',
  };

  it('removes secret fields at any depth and keeps the rest', () => {
    const { logger, output } = captureLogger();
    logger.info(
      {
        connection: { portalId: 123, tokens: { access_token: secrets.access, refresh_token: secrets.refresh } },
        deep: { a: { b: { clientSecret: secrets.clientSecret, password: secrets.password } } },
        req: { headers: { authorization: `Bearer ${secrets.bearer}`, 'x-api-key': secrets.apiKey } },
        token_type: 'bearer',
      },
      'token refreshed',
    );
    const out = output();
    for (const value of Object.values(secrets)) expect(out).not.toContain(value);
    expect(out).toContain('"portalId":123');
    expect(out).toContain('"token_type":"bearer"');
    expect(out).toContain('[Redacted]');
    expect(JSON.parse(out)).toMatchObject({ service: 'test-service', level: 'info', msg: 'token refreshed' });
  });

  it('scrubs credentials inside messages, URLs and errors', () => {
    const { logger, output } = captureLogger();
    logger.warn(`calling with Authorization: Bearer ${secrets.bearer} and key ${secrets.apiKey}`);
    logger.info({ url: `/api/integrations/hubspot/callback?code=oauth-code-777&state=s1` }, 'callback');
    logger.error({ err: new Error(`token endpoint said no to grant_type=refresh_token&refresh_token=${secrets.refresh}`) }, 'refresh failed');
    logger.info(`connecting to postgres://hubsync:${secrets.password}@db:5432/hubsync`);
    const out = output();
    for (const value of [...Object.values(secrets), 'oauth-code-777']) expect(out).not.toContain(value);
    expect(out).toContain('hsk_ab12cd34_[Redacted]'); // the non-secret prefix stays for support
    expect(out).toContain('state=s1');
    expect(out).toContain('postgres://hubsync:[Redacted]@db:5432');
  });

  it('redactSecrets leaves ordinary text alone', () => {
    const line = '{"msg":"fetched 100 contacts","portalId":42,"after":"12345","tokenType":"x"}';
    expect(redactSecrets(line)).toBe(line);
  });
});
