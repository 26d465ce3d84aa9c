import 'reflect-metadata';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { HealthRegistry } from '../health/health-registry';
import { BootLogger } from '../logging/boot-logger';
import { redactSecrets } from '../logging/redact-secrets';
import { httpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsService } from '../metrics/metrics.service';

export interface BootstrapOptions {
  serviceName: string;
  port: number;
  /** 0.0.0.0 by default (containers); tests and the local stack reach it on 127.0.0.1. */
  host?: string;
  /** After this long from SIGTERM/SIGINT the process exits even if something hangs (issue 2: 10 s). */
  shutdownTimeoutMs?: number;
  /**
   * App-specific setup before listening: global pipes, Swagger, `app.connectMicroservice(...)`.
   * Connected microservices are started by bootstrapService.
   */
  beforeListen?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Creates the Nest app with the pino logger, request metrics and shutdown hooks, starts its
 * microservices and HTTP server. A failure to start logs one fatal line and exits with code 1.
 */
export async function bootstrapService(module: Type<unknown> | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  const { serviceName, port, host = '0.0.0.0', shutdownTimeoutMs = 10_000 } = options;
  let app: INestApplication | undefined;
  try {
    // abortOnError false: Nest would otherwise process.abort() (core dump, exit 134) on a bad module.
    app = await NestFactory.create(module, {
      logger: new BootLogger(serviceName),
      bufferLogs: true,
      abortOnError: false,
      forceCloseConnections: true,
    });
    app.useLogger(app.get(Logger));
    app.use(httpMetricsMiddleware(app.get(MetricsService)));
    handleShutdownSignals(app, serviceName, shutdownTimeoutMs);
    await options.beforeListen?.(app);
    await app.startAllMicroservices();
    await app.listen(port, host);
    app.get(Logger).log(`${serviceName} listening on http://${host}:${port}`, 'Bootstrap');
    return app;
  } catch (error) {
    fatal(serviceName, 'failed to start', error);
    await app?.close().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * Graceful stop on SIGTERM/SIGINT: report not-ready, run Nest's shutdown (close HTTP, microservices
 * hand back in-flight messages, NATS drains, DB closes in the modules' hooks), exit 0. Repeated
 * signals are ignored (Ctrl-C reaches the whole process group, launchers then send SIGTERM too);
 * a shutdown that hangs past the deadline exits 1. We do this instead of enableShutdownHooks
 * because Nest removes its listeners at the first signal, so a second one would kill the process
 * mid-shutdown.
 */
function handleShutdownSignals(app: INestApplication, serviceName: string, timeoutMs: number): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.get(HealthRegistry).markShuttingDown();
    const logger = app.get(Logger);
    logger.log(`${signal} received, shutting down (deadline ${timeoutMs} ms)`, 'Bootstrap');
    setTimeout(() => {
      fatal(serviceName, `shutdown did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => {
        logger.log('shutdown complete', 'Bootstrap');
        process.exit(0);
      },
      (error: unknown) => {
        fatal(serviceName, 'shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function fatal(serviceName: string, msg: string, error?: unknown): void {
  const err = error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : error;
  const line = JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: serviceName, msg, err });
  process.stderr.write(`${redactSecrets(line)}\n`);
}
