import { BadRequestException, Controller, Get, Inject, Logger, OnModuleInit, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AllowAnonymous, OrganizationResolver, Principal, PRINCIPAL_REQUEST_KEY } from '@hubsync/api-keys';
import { BridgesService } from '../bridges/bridges.service';
import { toConnectionView } from '../connections/connection.types';
import { ConnectionsService } from '../connections/connections.service';
import { assertRedirectTarget } from '../http/url-validation';
import { strictValidation } from '../http/validation.pipe';
import { parseObjectTypeList } from '../scopes/required-scopes';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { ApiKeyUnlessBridgeGuard } from './api-key-unless-bridge.guard';
import { OAuthService } from './oauth.service';
import { StartQueryDto } from './start-query.dto';

/** Seed 002: `GET /api/integrations/hubspot/start` and `/callback`. */
@Controller('api/integrations/hubspot')
export class OAuthController implements OnModuleInit {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly oauth: OAuthService,
    private readonly bridges: BridgesService,
    private readonly connections: ConnectionsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  onModuleInit(): void {
    if (this.settings.returnToOrigins.length === 0) {
      new Logger(OAuthController.name).warn('OAUTH_RETURN_TO_ORIGINS is unset: return_to and bridge redirect_uri may name any http(s) URL');
    }
  }

  /** → 302 to HubSpot's authorize page, or `{ url }` for `Accept: application/json` (API-key callers only). */
  @Get('start')
  @UseGuards(ApiKeyUnlessBridgeGuard)
  async start(@Query(strictValidation()) query: StartQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (query.bridge) {
      // A browser following a bridge link: no API key, always a redirect.
      const bridge = await this.bridges.redeem(query.bridge);
      const url = await this.oauth.authorizeUrl({
        organizationUid: bridge.organization_uid,
        userUid: bridge.user_uid,
        returnTo: bridge.redirect_uri,
        bridgeId: bridge.id,
        label: bridge.label,
        objectTypes: this.connections.objectTypesOrDefault(undefined),
      });
      res.redirect(302, url);
      return;
    }
    const principal = (req as unknown as Record<string, Principal | undefined>)[PRINCIPAL_REQUEST_KEY];
    if (!principal) throw new BadRequestException('Missing x-api-key header or bridge parameter');
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    const url = await this.oauth.authorizeUrl({
      organizationUid,
      userUid: principal.userUid,
      returnTo: query.return_to ? assertRedirectTarget('return_to', query.return_to, this.settings.returnToOrigins) : null,
      bridgeId: null,
      label: query.label ?? null,
      objectTypes: this.connections.objectTypesOrDefault(query.object_types ? parseObjectTypeList(query.object_types) : undefined),
    });
    if (wantsJson(req)) {
      res.status(200).json({ url });
      return;
    }
    res.redirect(302, url);
  }

  /** HubSpot redirects the browser here with `code` and `state` (or `error`). */
  @Get('callback')
  @AllowAnonymous()
  async callback(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const result = await this.oauth.callback({
      code: stringParam(query, 'code'),
      state: stringParam(query, 'state'),
      error: stringParam(query, 'error'),
      errorDescription: stringParam(query, 'error_description'),
    });
    if (result.redirectTo) {
      res.redirect(302, result.redirectTo);
      return;
    }
    res.status(200).json({ connection: toConnectionView(result.connection) });
  }
}

function wantsJson(req: Request): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestException(`${name} must be given once, as a string`);
  return value;
}
