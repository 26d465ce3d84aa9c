import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SandboxState } from '../state/sandbox-state.service';
import { AuthorizePageError, AuthorizeParams, OAuthService, OAuthTokenError } from './oauth.service';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * OAuth endpoints. `/oauth/authorize` is a browser page (consent, or a 302 when auto-approve is
 * on: knob `autoApprove`, env SANDBOX_OAUTH_AUTO_APPROVE=true, or `auto_approve=1` in the URL).
 */
@Controller('oauth')
export class OAuthController {
  constructor(private readonly oauth: OAuthService, private readonly state: SandboxState) {}

  @Get('authorize')
  authorize(@Query() q: AuthorizeParams, @Res() res: Response) {
    try {
      const r = this.oauth.checkAuthorize(q);
      if (r.autoApprove) {
        if (r.portalId === undefined) throw new AuthorizePageError('Auto-approve needs a portal: pass portal_id, create the app with installPortalId, or set the oauthPortalId knob.');
        return res.redirect(302, this.oauth.approve(r.app.appId, r.portalId, r.scopes, r.redirectUri, q.state));
      }
      return res.status(200).type('text/html').send(this.consentPage(q, r.scopes, r.portalId));
    } catch (error) {
      if (error instanceof AuthorizePageError) return res.status(400).type('text/html').send(`<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>${escapeHtml(error.message)}</p>`);
      throw error;
    }
  }

  @Post('authorize/decision')
  decide(@Body() form: AuthorizeParams & { decision?: string }, @Res() res: Response) {
    try {
      const r = this.oauth.checkAuthorize(form);
      if (form.decision !== 'approve') return res.redirect(302, this.oauth.deny(r.redirectUri, form.state));
      if (r.portalId === undefined) throw new AuthorizePageError('Choose a portal to install the app in.');
      return res.redirect(302, this.oauth.approve(r.app.appId, r.portalId, r.scopes, r.redirectUri, form.state));
    } catch (error) {
      if (error instanceof AuthorizePageError) return res.status(400).type('text/html').send(`<!doctype html><title>Authorization error</title><p>${escapeHtml(error.message)}</p>`);
      throw error;
    }
  }

  /** Form-encoded only, as HubSpot's token endpoint (and the SDK's TokensApi) uses. */
  @Post('v1/token')
  @HttpCode(200)
  token(@Body() form: Record<string, unknown>, @Req() req: Request) {
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new OAuthTokenError('BAD_REQUEST', 'invalid_request', 'The token request must be application/x-www-form-urlencoded.');
    }
    return this.oauth.token(form ?? {});
  }

  @Get('v1/access-tokens/:token')
  accessToken(@Param('token') token: string) {
    return this.oauth.accessTokenInfo(token);
  }

  @Get('v1/refresh-tokens/:token')
  refreshToken(@Param('token') token: string) {
    return this.oauth.refreshTokenInfo(token);
  }

  @Delete('v1/refresh-tokens/:token')
  @HttpCode(204)
  deleteRefreshToken(@Param('token') token: string) {
    this.oauth.deleteRefreshToken(token);
  }

  @Post('v2/private-apps/get/access-token-info')
  @HttpCode(200)
  privateAppTokenInfo(@Body() body: unknown) {
    return this.oauth.privateAppTokenInfo(body);
  }

  private consentPage(q: AuthorizeParams, scopes: string[], portalId?: number): string {
    const hidden = (['client_id', 'redirect_uri', 'scope', 'optional_scope', 'state'] as const)
      .filter((k) => q[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(String(q[k]))}">`)
      .join('');
    const portals = [...this.state.portals.keys()];
    const select = portalId !== undefined
      ? `<input type="hidden" name="portal_id" value="${portalId}"><p>Account: ${portalId}</p>`
      : `<label>Account <select name="portal_id">${portals.map((p) => `<option value="${p}">${p}</option>`).join('')}</select></label>`;
    return `<!doctype html><html><head><title>Connect app</title></head><body>
<h1>HubSpot sandbox — connect app</h1>
<p>The app requests: ${scopes.map(escapeHtml).join(', ')}</p>
<form method="post" action="/oauth/authorize/decision">${hidden}${select}
<button type="submit" name="decision" value="approve">Connect app</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></body></html>`;
  }
}
