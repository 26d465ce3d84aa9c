import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Principal, PRINCIPAL_REQUEST_KEY, RequestWithPrincipal } from './principal';

/** The caller ApiKeyGuard authenticated; a handler without the guard fails loudly instead of running unauthenticated. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_REQUEST_KEY];
  if (!principal) throw new UnauthorizedException('No authenticated principal on this request');
  return principal;
});
