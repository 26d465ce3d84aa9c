import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { ErrorBody } from './error-body';
import { correlationIdOf } from './correlation-id';

/**
 * Turns every error into `{ statusCode, error, message, details? }`. Unexpected errors stay 500: they
 * are logged with the request's correlation id, and the body says only that id (no internals).
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception, request);
    if (response.headersSent) {
      // A streaming response (SSE) already started: nothing can be sent any more.
      response.end();
      return;
    }
    // A 503 is a "come back shortly": say when, unless the thrower already did.
    if (body.statusCode === 503 && response.getHeader('Retry-After') === undefined) response.setHeader('Retry-After', '5');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const error = STATUS_CODES[statusCode] ?? 'Error';
      if (typeof raw === 'string') return { statusCode, error, message: raw };
      const r = raw as { message?: unknown; details?: ErrorBody['details']; error?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
      return { statusCode, error, message, ...(r.details !== undefined ? { details: r.details } : {}) };
    }
    // body-parser errors reach here with an HTTP status and a `type` (e.g. 'entity.too.large').
    const parserError = exception as { status?: number; statusCode?: number; type?: string; expose?: boolean; limit?: number };
    const status = parserError?.status ?? parserError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && parserError.expose) {
      const message =
        parserError.type === 'entity.too.large'
          ? `Request body exceeds the ${Math.round((parserError.limit ?? 1048576) / 1024)} KB limit`
          : parserError.type === 'entity.parse.failed'
            ? 'Request body is not valid JSON'
            : (exception as Error).message;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    const correlationId = correlationIdOf(request);
    this.logger.error(
      { err: exception, correlationId, method: request.method, path: request.path },
      `Unhandled error (correlation id ${correlationId})`,
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: STATUS_CODES[500] as string,
      message: `Internal server error (correlation id ${correlationId})`,
    };
  }
}
