import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { SandboxConfig } from '../config/sandbox.config';
import { HubSpotError } from '../http/hubspot-error';

export const ADMIN_TOKEN_HEADER = 'x-sandbox-admin-token';

/**
 * The admin API answers only requests carrying SANDBOX_ADMIN_TOKEN in `x-sandbox-admin-token`.
 * Without a configured token it is disabled: 403 for everyone.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly config: SandboxConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.SANDBOX_ADMIN_TOKEN;
    if (!expected) throw new HubSpotError(403, 'FORBIDDEN', 'The sandbox admin API is disabled: SANDBOX_ADMIN_TOKEN is not set.');
    const given = context.switchToHttp().getRequest<Request>().headers[ADMIN_TOKEN_HEADER];
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HubSpotError(401, 'INVALID_AUTHENTICATION', `Missing or wrong ${ADMIN_TOKEN_HEADER} header.`);
    return true;
  }
}
