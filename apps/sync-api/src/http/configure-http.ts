import { BadRequestException, INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import { correlationIdMiddleware } from './correlation-id';
import { setupOpenApi } from './openapi';

/** Request bodies above this answer 413 (issue 7 item 8). */
export const MAX_BODY_BYTES = 1024 * 1024;

export type RequestWithRawBody = Request & { rawBody?: Buffer };

/**
 * HTTP setup that has to happen on the app before it listens (main.ts passes this as
 * `beforeListen`; in-process tests call it too): JSON bodies up to 1 MB with the raw bytes kept for
 * webhook signatures, correlation ids, OpenAPI at /docs and /docs-json.
 */
export function configureSyncApiHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // Registered before Nest's defaults, so these replace its 100 KB parsers.
  express.useBodyParser('json', {
    limit: MAX_BODY_BYTES,
    verify: (request: RequestWithRawBody, _response: unknown, buffer: Buffer) => {
      request.rawBody = buffer;
    },
  });
  express.useBodyParser('urlencoded', { limit: MAX_BODY_BYTES, extended: false });
  // Name the problem for malformed JSON (Nest would pass on the parser's bare message).
  express.use((error: { type?: string; message?: string } | undefined, _request: Request, _response: unknown, next: (error?: unknown) => void) => {
    if (error?.type === 'entity.parse.failed') return next(new BadRequestException(`Request body is not valid JSON (${error.message})`));
    next(error);
  });
  express.use(correlationIdMiddleware);
  setupOpenApi(app);
}
