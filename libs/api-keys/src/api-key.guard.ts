import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyService } from './api-key.service';
import { PRINCIPAL_REQUEST_KEY, RequestWithPrincipal } from './principal';

export const API_KEY_HEADER = 'x-api-key';
const ANONYMOUS_ALLOWED = 'hubsync:api-key-anonymous';

/** Marks a handler or controller that needs no API key (health, webhooks) when the guard is global. */
export const AllowAnonymous = () => SetMetadata(ANONYMOUS_ALLOWED, true);

/** Requires a valid `x-api-key`; 401 when missing, unknown or revoked. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const anonymous = this.reflector.getAllAndOverride<boolean>(ANONYMOUS_ALLOWED, [context.getHandler(), context.getClass()]);
    if (anonymous) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers[API_KEY_HEADER];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) throw new UnauthorizedException(`Missing ${API_KEY_HEADER} header`);
    const principal = await this.apiKeys.authenticate(value.trim());
    if (!principal) throw new UnauthorizedException('Invalid or revoked API key');
    request[PRINCIPAL_REQUEST_KEY] = principal;
    return true;
  }
}
