import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { HubSpotError } from './hubspot-error';

/** Writes a HubSpot-shaped JSON error (the SDK needs a JSON content type even on errors). */
export function sendHubSpotError(res: Response, error: HubSpotError): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
  res.status(error.status).type('application/json').send(JSON.stringify(error.body()));
}

/** Every error leaves the sandbox as HubSpot's error body, never Nest's default shape or HTML. */
@Catch()
export class HubSpotExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HubSpotExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HubSpotError) return sendHubSpotError(res, exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const category = status === 404 ? 'OBJECT_NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
      const message = status === 404 ? 'resource not found' : exception.message;
      return sendHubSpotError(res, new HubSpotError(status, category, message));
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    sendHubSpotError(res, new HubSpotError(500, 'INTERNAL_ERROR', 'internal error'));
  }
}
