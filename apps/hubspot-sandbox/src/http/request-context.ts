import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AccessTokenRecord, SandboxApp } from '../auth/auth-registry';
import { Portal } from '../crm/portal';
import { missingScopes } from './hubspot-error';

/** Who is calling: resolved by the gateway middleware from the bearer token. */
export interface HubSpotContext {
  portal: Portal;
  token: AccessTokenRecord;
  app: SandboxApp;
}

export interface SandboxRequest extends Request {
  hubspot?: HubSpotContext;
  /** Raw request body (set by the JSON parser) — search limits its length. */
  rawBody?: Buffer;
}

export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): HubSpotContext => {
  const req = ctx.switchToHttp().getRequest<SandboxRequest>();
  if (!req.hubspot) throw new Error('route is missing the gateway middleware');
  return req.hubspot;
});

/**
 * 403 MISSING_SCOPES unless the token holds every scope of `required` (each entry may list
 * alternatives joined by `|`, any of which suffices).
 */
export function requireScopes(ctx: HubSpotContext, required: string[]): void {
  const granted = new Set(ctx.token.scopes);
  const missing = required.filter((r) => !r.split('|').some((alt) => granted.has(alt)));
  if (missing.length > 0) throw missingScopes(missing.flatMap((m) => m.split('|')));
}
