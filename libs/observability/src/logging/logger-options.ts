import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { Options } from 'pino-http';
import { REDACT_PATHS, REDACTED, redactSecrets } from './redact-secrets';

/** Health probes and scrapes would drown the request log. */
const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** pino(-http) options shared by every service: JSON lines, service name, secrets removed. */
export function buildLoggerOptions(serviceName: string, level = 'info'): Options {
  return {
    level,
    base: { service: serviceName, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: redactSecrets },
    serializers: {
      // Only what helps debugging: no headers (they carry credentials), URL with secrets scrubbed.
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.some((p) => req.url?.startsWith(p)) },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  };
}
