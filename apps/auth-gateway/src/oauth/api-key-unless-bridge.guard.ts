import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeyGuard } from '@hubsync/api-keys';

/**
 * `/start` accepts either an `x-api-key` (the shared ApiKeyGuard decides) or a `bridge` token in the
 * query, which a browser can carry without headers; the bridge token itself is checked (signature,
 * expiry, single use) by the handler.
 */
@Injectable()
export class ApiKeyUnlessBridgeGuard implements CanActivate {
  constructor(private readonly apiKeyGuard: ApiKeyGuard) {}

  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const request = context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>();
    if (typeof request.query?.['bridge'] === 'string' && request.query['bridge'] !== '') return true;
    return this.apiKeyGuard.canActivate(context);
  }
}
