import { BadGatewayException, ForbiddenException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { SyncEventsService } from '../work/sync-events.service';

export interface SubscriptionRequest {
  eventType: string;
  propertyName?: string;
}

/**
 * Seed 002 "Configure HubSpot webhooks for immediate sync": what gets subscribed by default. Property
 * changes need one subscription per property (HubSpot webhooks guide: `propertyName` is required for
 * `*.propertyChange`), so the defaults cover the properties the Stanna and Exante models read.
 */
const WATCHED_PROPERTIES: Record<string, string[]> = {
  contact: ['email', 'firstname', 'lastname', 'jobtitle', 'lifecyclestage', 'hubspot_owner_id', 'company'],
  company: ['name', 'domain', 'lifecyclestage', 'hubspot_owner_id', 'annual_recurring_revenue', 'mrr', 'renewal_date', 'contract_end_date'],
  deal: ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'hubspot_owner_id', 'dealtype'],
};
export const DEFAULT_SUBSCRIPTIONS: SubscriptionRequest[] = Object.entries(WATCHED_PROPERTIES).flatMap(([object, properties]) => [
  ...['creation', 'deletion', 'associationChange', 'merge', 'restore'].map((e) => ({ eventType: `${object}.${e}` })),
  ...properties.map((propertyName) => ({ eventType: `${object}.propertyChange`, propertyName })),
]);

interface HubspotSubscription {
  id: string | number;
  eventType: string;
  propertyName?: string;
  active: boolean;
}

/**
 * Configures the HubSpot app's webhook target URL and subscriptions through HubSpot's webhooks API
 * (developers.hubspot.com "Webhooks API" v3: `PUT /webhooks/v3/{appId}/settings` with `targetUrl` and
 * `throttling`, `GET|POST /webhooks/v3/{appId}/subscriptions`; authenticated with the app's
 * developer API key as `hapikey`). The settings are per app, shared by every tenant, so only owners
 * and admins of an organization may change them.
 */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SyncEventsService,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  async subscribe(organizationUid: string, userUid: string, input: { targetUrl?: string; subscriptions?: SubscriptionRequest[]; maxConcurrentRequests?: number }) {
    const role = await this.dataSource.query(`SELECT role FROM core.memberships WHERE organization_uid = $1 AND user_uid = $2`, [organizationUid, userUid]);
    if (!['owner', 'admin'].includes(role[0]?.role)) throw new ForbiddenException('Only owners and admins may configure webhooks');
    const { hubspotAppId: appId, hubspotDeveloperApiKey: key } = this.settings;
    if (!appId || !key) throw new ServiceUnavailableException('Webhook configuration needs HUBSPOT_APP_ID and HUBSPOT_DEVELOPER_API_KEY');
    const targetUrl = input.targetUrl ?? this.settings.webhookPublicUrl;
    if (!targetUrl) throw new ServiceUnavailableException('No target_url given and WEBHOOK_PUBLIC_URL is unset');
    const base = `${this.settings.hubspotApiBaseUrl.replace(/\/$/, '')}/webhooks/v3/${encodeURIComponent(appId)}`;
    const auth = `hapikey=${encodeURIComponent(key)}`;

    const settings = await this.call('PUT', `${base}/settings?${auth}`, {
      targetUrl,
      throttling: { period: 'SECONDLY', maxConcurrentRequests: input.maxConcurrentRequests ?? 10 },
    });
    const existing = ((await this.call('GET', `${base}/subscriptions?${auth}`)) as { results?: HubspotSubscription[] }).results ?? [];
    const wanted = input.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
    const created: HubspotSubscription[] = [];
    for (const sub of wanted) {
      const present = existing.some((e) => e.eventType === sub.eventType && (e.propertyName ?? null) === (sub.propertyName ?? null));
      if (present) continue;
      created.push((await this.call('POST', `${base}/subscriptions?${auth}`, { ...sub, active: true })) as HubspotSubscription);
    }
    await this.events.record({
      organizationUid,
      type: 'webhooks.subscribed',
      message: `HubSpot webhooks pointed at ${targetUrl}; ${created.length} subscription(s) created`,
      data: { target_url: targetUrl, created: created.map((c) => c.eventType) },
    });
    return {
      app_id: appId,
      target_url: targetUrl,
      settings,
      subscriptions: [...existing, ...created].map((s) => ({ id: String(s.id), event_type: s.eventType, property_name: s.propertyName ?? null, active: s.active })),
      created: created.length,
    };
  }

  private async call(method: string, url: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new BadGatewayException(`HubSpot webhooks API unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const message = (parsed as { message?: string } | undefined)?.message ?? `HTTP ${response.status}`;
      // The URL carries the developer key: never echo it.
      throw new BadGatewayException(`HubSpot webhooks API ${method} ${new URL(url).pathname} failed: ${message}`);
    }
    return parsed;
  }
}
