import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';
const KEY = Symbol('correlationId');

/** The id used in logs and 500 bodies: pino-http's request id when present, else the client's header, else a fresh uuid. */
export function correlationIdOf(request: Request): string {
  const r = request as Request & { [KEY]?: string; id?: unknown };
  if (r[KEY]) return r[KEY];
  const fromHeader = request.headers?.[CORRELATION_HEADER];
  const candidate = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : typeof fromHeader === 'string' ? fromHeader : undefined;
  const id = candidate && /^[A-Za-z0-9._:-]{1,100}$/.test(candidate) ? candidate : randomUUID();
  r[KEY] = id;
  return id;
}

export function correlationIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  response.setHeader(CORRELATION_HEADER, correlationIdOf(request));
  next();
}
