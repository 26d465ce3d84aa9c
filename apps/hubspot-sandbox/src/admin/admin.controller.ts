import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { GeneratorService } from '../generator/generator.service';
import { LiveModeService } from '../generator/live-mode.service';
import { SandboxState } from '../state/sandbox-state.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminService } from './admin.service';

type Json = Record<string, unknown>;
const flag = (v: unknown) => v === 'true' || v === '1';

/** The admin API, documented in apps/hubspot-sandbox/README.md. */
@Controller('__admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly state: SandboxState,
    private readonly generator: GeneratorService,
    private readonly live: LiveModeService,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @Post('reset')
  @HttpCode(200)
  reset() {
    this.live.stopAll();
    this.webhooks.clear();
    this.state.reset();
    return { reset: true };
  }

  @Post('portals/:portalId/seed')
  @HttpCode(200)
  seed(@Param('portalId', ParseIntPipe) portalId: number, @Body() body: unknown) {
    return this.generator.seed(this.state.requirePortal(portalId), body);
  }

  @Post('portals/:portalId/live')
  @HttpCode(200)
  setLive(@Param('portalId', ParseIntPipe) portalId: number, @Body() body: unknown) {
    return this.live.configure(portalId, body);
  }

  @Get('portals/:portalId/live')
  liveStatus(@Param('portalId', ParseIntPipe) portalId: number) {
    this.state.requirePortal(portalId);
    return this.live.status(portalId);
  }

  @Get('apps/:appId/webhook-deliveries')
  deliveries(@Param('appId', ParseIntPipe) appId: number) {
    return { results: this.webhooks.deliveries.get(appId) ?? [] };
  }

  @Get('portals')
  portals() {
    return { results: [...this.state.portals.values()].map((p) => this.admin.portalSummary(p)) };
  }

  @Post('portals')
  createPortal(@Body() body: Json) {
    return this.admin.createPortal(body ?? {});
  }

  @Get('portals/:portalId')
  portal(@Param('portalId', ParseIntPipe) portalId: number) {
    return this.admin.portalSummary(this.state.requirePortal(portalId));
  }

  @Delete('portals/:portalId')
  @HttpCode(204)
  deletePortal(@Param('portalId', ParseIntPipe) portalId: number) {
    this.state.requirePortal(portalId);
    this.live.stop(portalId);
    this.state.portals.delete(portalId);
  }

  @Post('apps')
  createApp(@Body() body: Json) {
    return this.admin.createApp(body ?? {});
  }

  @Patch('apps/:appId')
  updateApp(@Param('appId', ParseIntPipe) appId: number, @Body() body: Json) {
    return this.admin.updateAppScopes(appId, body ?? {});
  }

  @Post('portals/:portalId/private-app-tokens')
  privateAppToken(@Param('portalId', ParseIntPipe) portalId: number, @Body() body: Json) {
    return this.admin.createPrivateAppToken(portalId, body ?? {});
  }

  @Get('knobs')
  globalKnobs() {
    return this.state.knobs();
  }

  @Post('knobs')
  @HttpCode(200)
  setGlobalKnobs(@Body() body: unknown) {
    return this.admin.setKnobs(null, body);
  }

  @Get('portals/:portalId/knobs')
  portalKnobs(@Param('portalId', ParseIntPipe) portalId: number) {
    this.state.requirePortal(portalId);
    return this.state.knobs(portalId);
  }

  @Post('portals/:portalId/knobs')
  @HttpCode(200)
  setPortalKnobs(@Param('portalId', ParseIntPipe) portalId: number, @Body() body: unknown) {
    return this.admin.setKnobs(portalId, body);
  }

  @Post('oauth/token-lifetime')
  @HttpCode(200)
  tokenLifetime(@Body() body: Json) {
    return this.admin.setTokenLifetime(body ?? {});
  }

  @Post('oauth/revoke')
  @HttpCode(200)
  revoke(@Body() body: Json) {
    return this.admin.revoke(body ?? {});
  }

  @Get('oauth/issued')
  issued(@Query('portalId') portalId?: string) {
    return this.admin.issued(portalId === undefined ? undefined : Number(portalId));
  }

  @Post('oauth/expire')
  @HttpCode(200)
  expire(@Body() body: Json) {
    return this.admin.expireAccessToken(body ?? {});
  }

  @Get('portals/:portalId/counters')
  counters(@Param('portalId', ParseIntPipe) portalId: number) {
    return this.admin.counters(portalId);
  }

  @Delete('portals/:portalId/counters')
  resetCounters(@Param('portalId', ParseIntPipe) portalId: number) {
    return this.admin.resetCounters(portalId);
  }

  @Get('portals/:portalId/truth/:objectType')
  truth(@Param('portalId', ParseIntPipe) portalId: number, @Param('objectType') type: string, @Query('records') records?: string) {
    return this.admin.truth(portalId, type, records === undefined || flag(records));
  }

  @Get('portals/:portalId/associations-truth/:from/:to')
  associationsTruth(@Param('portalId', ParseIntPipe) portalId: number, @Param('from') from: string, @Param('to') to: string, @Query('pairs') pairs?: string) {
    return this.admin.associationsTruth(portalId, from, to, pairs === undefined || flag(pairs));
  }

  @Post('portals/:portalId/objects/:objectType')
  @HttpCode(200)
  mutate(@Param('portalId', ParseIntPipe) portalId: number, @Param('objectType') type: string, @Body() body: Json) {
    return this.admin.mutate(portalId, type, body ?? {});
  }

  @Post('portals/:portalId/associations')
  @HttpCode(200)
  associations(@Param('portalId', ParseIntPipe) portalId: number, @Body() body: Json) {
    return this.admin.associations(portalId, body ?? {});
  }
}
