import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { SandboxApp, WebhookSubscription } from '../auth/auth-registry';
import { HubSpotError, objectNotFound, validationError } from '../http/hubspot-error';
import { SandboxState } from '../state/sandbox-state.service';

const EVENT_TYPE = /^(contact|company|deal|ticket|product|line_item|object)\.(creation|deletion|propertyChange|associationChange|merge|restore|privacyDeletion)$/;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Webhooks management API per app (SDK lib/codegen/webhooks/apis/{SettingsApi,SubscriptionsApi}.js:
 * settings GET/PUT 200, DELETE 204; subscriptions list 200, create 201, get/patch 200, delete 204,
 * batch update 200). Authenticated with the developer API key (`?hapikey=`, SDK developer_hapikey).
 */
@Controller('webhooks/v3/:appId')
export class WebhooksController {
  constructor(private readonly state: SandboxState) {}

  private app(appId: string, hapikey?: string): SandboxApp {
    const app = this.state.auth.apps.get(Number(appId));
    if (!app || !hapikey || hapikey !== app.developerApiKey) {
      throw new HubSpotError(401, 'INVALID_AUTHENTICATION', 'The developer API key (hapikey) is missing or does not belong to this app.');
    }
    return app;
  }

  private settingsJson(app: SandboxApp) {
    const s = app.webhookSettings;
    if (!s) throw objectNotFound('No webhook settings for this app.');
    return { targetUrl: s.targetUrl, throttling: { maxConcurrentRequests: s.maxConcurrentRequests, period: 'SECONDLY' }, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
  }

  private subJson(s: WebhookSubscription) {
    return { id: s.id, eventType: s.eventType, ...(s.propertyName ? { propertyName: s.propertyName } : {}), ...(s.objectTypeId ? { objectTypeId: s.objectTypeId } : {}), active: s.active, createdAt: iso(s.createdAt), updatedAt: iso(s.updatedAt) };
  }

  @Get('settings')
  getSettings(@Param('appId') appId: string, @Query('hapikey') key?: string) {
    return this.settingsJson(this.app(appId, key));
  }

  @Put('settings')
  configure(@Param('appId') appId: string, @Body() body: Record<string, unknown>, @Query('hapikey') key?: string) {
    const app = this.app(appId, key);
    const targetUrl = body?.['targetUrl'];
    if (typeof targetUrl !== 'string' || !/^https?:\/\//.test(targetUrl)) throw validationError('targetUrl must be an http(s) URL');
    const max = (body['throttling'] as { maxConcurrentRequests?: unknown } | undefined)?.maxConcurrentRequests ?? 10;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw validationError('throttling.maxConcurrentRequests must be a positive integer');
    const now = Date.now();
    app.webhookSettings = { targetUrl, maxConcurrentRequests: max, createdAt: app.webhookSettings?.createdAt ?? now, updatedAt: now };
    return this.settingsJson(app);
  }

  @Delete('settings')
  @HttpCode(204)
  clear(@Param('appId') appId: string, @Query('hapikey') key?: string) {
    this.app(appId, key).webhookSettings = undefined;
  }

  @Get('subscriptions')
  list(@Param('appId') appId: string, @Query('hapikey') key?: string) {
    return { results: this.app(appId, key).subscriptions.map((s) => this.subJson(s)) };
  }

  @Post('subscriptions')
  @HttpCode(201)
  create(@Param('appId') appId: string, @Body() body: Record<string, unknown>, @Query('hapikey') key?: string) {
    const app = this.app(appId, key);
    const eventType = body?.['eventType'];
    if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) throw validationError(`eventType "${String(eventType)}" is not a supported subscription type`);
    const propertyName = typeof body['propertyName'] === 'string' ? (body['propertyName'] as string) : undefined;
    if (eventType.endsWith('.propertyChange') && !propertyName) throw validationError('propertyName is required for propertyChange subscriptions');
    const objectTypeId = typeof body['objectTypeId'] === 'string' ? (body['objectTypeId'] as string) : undefined;
    if (eventType.startsWith('object.') && !objectTypeId) throw validationError('objectTypeId is required for object.* subscriptions');
    const now = Date.now();
    const sub: WebhookSubscription = { id: String(500_000 + app.subscriptions.length + 1 + app.appId % 1000 * 1000), eventType, propertyName, objectTypeId, active: body['active'] === true, createdAt: now, updatedAt: now };
    app.subscriptions.push(sub);
    return this.subJson(sub);
  }

  @Post('subscriptions/batch/update')
  @HttpCode(200)
  batchUpdate(@Param('appId') appId: string, @Body() body: Record<string, unknown>, @Query('hapikey') key?: string) {
    const startedAt = Date.now();
    const app = this.app(appId, key);
    const inputs = body?.['inputs'];
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    const results = inputs.map((i: { id?: unknown; active?: unknown }) => {
      const sub = app.subscriptions.find((s) => s.id === String(i?.id));
      if (!sub) throw objectNotFound(`Subscription ${String(i?.id)} not found`);
      sub.active = i.active === true;
      sub.updatedAt = Date.now();
      return this.subJson(sub);
    });
    return { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(Date.now()) };
  }

  @Get('subscriptions/:subscriptionId')
  get(@Param('appId') appId: string, @Param('subscriptionId') id: string, @Query('hapikey') key?: string) {
    const sub = this.app(appId, key).subscriptions.find((s) => s.id === id);
    if (!sub) throw objectNotFound(`Subscription ${id} not found`);
    return this.subJson(sub);
  }

  @Patch('subscriptions/:subscriptionId')
  update(@Param('appId') appId: string, @Param('subscriptionId') id: string, @Body() body: Record<string, unknown>, @Query('hapikey') key?: string) {
    const sub = this.app(appId, key).subscriptions.find((s) => s.id === id);
    if (!sub) throw objectNotFound(`Subscription ${id} not found`);
    if (typeof body?.['active'] === 'boolean') sub.active = body['active'] as boolean;
    sub.updatedAt = Date.now();
    return this.subJson(sub);
  }

  @Delete('subscriptions/:subscriptionId')
  @HttpCode(204)
  archive(@Param('appId') appId: string, @Param('subscriptionId') id: string, @Query('hapikey') key?: string) {
    const app = this.app(appId, key);
    app.subscriptions = app.subscriptions.filter((s) => s.id !== id);
  }
}
