import 'reflect-metadata';
import { loadConfigOrExit } from '@hubsync/config';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { createServer } from 'node:http';
import { AppModule } from './app.module';
import { SandboxConfig } from './config/sandbox.config';
import { installBodyParsers } from './http/body-parsers';

/**
 * The sandbox: one HTTP server for HubSpot's API paths, OAuth pages and the admin API.
 * Node's own header limit (16 KB) is raised so URLs between 8 KB and 64 KB get HubSpot's 414
 * rather than Node's bare 431.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(SandboxConfig, 'hubspot-sandbox');
  const expressApp = express();
  expressApp.disable('x-powered-by');
  expressApp.set('query parser', 'simple');
  // HubSpot sends no ETags; a 304 would surprise clients that never send If-None-Match anyway.
  expressApp.set('etag', false);
  installBodyParsers(expressApp);
  const app = await NestFactory.create(AppModule.forRoot(config), new ExpressAdapter(expressApp), {
    bodyParser: false,
    logger: nestLogLevels(config.LOG_LEVEL),
  });
  app.enableShutdownHooks();
  await app.init();
  const server = createServer({ maxHeaderSize: 65_536 }, expressApp);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // Always printed (whatever LOG_LEVEL): harnesses read the port from it.
  process.stdout.write(`${JSON.stringify({ level: 'info', time: Date.now(), service: 'hubspot-sandbox', msg: 'listening', url: `http://${config.HOST}:${port}` })}\n`);
  const shutdown = () => {
    server.close();
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

function nestLogLevels(level: SandboxConfig['LOG_LEVEL']): false | Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  if (level === 'silent') return false;
  if (level === 'debug' || level === 'trace') return ['error', 'warn', 'log', 'debug', 'verbose'];
  if (level === 'fatal' || level === 'error') return ['error'];
  // info: startup and errors, not one line per mapped route.
  return ['error', 'warn'];
}

void bootstrap();
