import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { SandboxApp, WebhookSubscription } from '../auth/auth-registry';
import { CrmChange, CrmEvents } from '../crm/crm-events';
import { SandboxState } from '../state/sandbox-state.service';

/** Legacy event names per standard type (SDK SubscriptionCreateRequestEventTypeEnum: contact.*, company.*, …). */
const LEGACY_PREFIX: Record<string, string> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-5': 'ticket', '0-7': 'product', '0-8': 'line_item' };
/** At most 100 events per delivery (HubSpot webhooks guide: batched requests of up to 100). */
const MAX_BATCH = 100;
const LOG_SIZE = 200;

interface QueuedEvent {
  payload: Record<string, unknown>;
}

export interface DeliveryRecord {
  at: string;
  url: string;
  status: number | null;
  attempt: number;
  events: number;
  error?: string;
}

/**
 * Webhook deliveries: CRM changes matched against each installed app's subscriptions, batched,
 * POSTed to the app's target URL with HubSpot's v3 signature
 * (`X-HubSpot-Signature-v3` = base64(HMAC-SHA256(client secret, method + url + body + timestamp)),
 * `X-HubSpot-Request-Timestamp` in ms — HubSpot "Validating requests" doc; SDK Signature.getSignature)
 * and the legacy v1 signature (sha256 hex of secret + body), retried on failure with doubling delays.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly queues = new Map<number, QueuedEvent[]>();
  private readonly flushTimers = new Map<number, NodeJS.Timeout>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Map<number, number>();
  readonly deliveries = new Map<number, DeliveryRecord[]>();
  private unsubscribe?: () => void;
  private eventSeq = 1;

  constructor(private readonly state: SandboxState, private readonly events: CrmEvents) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((change) => this.onChange(change));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.clear();
  }

  clear(): void {
    for (const t of this.flushTimers.values()) clearTimeout(t);
    for (const t of this.retryTimers) clearTimeout(t);
    this.flushTimers.clear();
    this.retryTimers.clear();
    this.queues.clear();
    this.deliveries.clear();
    this.inFlight.clear();
  }

  private onChange(change: CrmChange): void {
    for (const app of this.state.auth.appsInstalledOn(change.portalId)) {
      if (!app.webhookSettings) continue;
      for (const sub of app.subscriptions) {
        if (!sub.active || !matches(sub, change)) continue;
        this.enqueue(app, this.payload(app, sub, change));
      }
    }
  }

  private payload(app: SandboxApp, sub: WebhookSubscription, c: CrmChange): Record<string, unknown> {
    const p: Record<string, unknown> = {
      eventId: this.eventSeq++,
      subscriptionId: Number(sub.id),
      portalId: c.portalId,
      appId: app.appId,
      occurredAt: c.occurredAt,
      subscriptionType: sub.eventType,
      attemptNumber: 0,
      objectId: c.objectId,
      changeSource: c.changeSource,
    };
    if (sub.eventType.startsWith('object.')) p['objectTypeId'] = c.objectTypeId;
    if (c.kind === 'propertyChange') {
      p['propertyName'] = c.propertyName;
      p['propertyValue'] = c.propertyValue;
    }
    if (c.kind === 'associationChange' && c.association) {
      const a = c.association;
      const from = LEGACY_PREFIX[c.objectTypeId] ?? c.objectTypeId;
      const to = LEGACY_PREFIX[a.toObjectTypeId] ?? a.toObjectTypeId;
      Object.assign(p, {
        associationType: `${from}_TO_${to}`.toUpperCase(), fromObjectId: c.objectId, toObjectId: a.toObjectId,
        associationRemoved: a.removed, isPrimaryAssociation: a.primary, fromObjectTypeId: c.objectTypeId, toObjectTypeId: a.toObjectTypeId,
        associationTypeId: a.associationTypeId,
      });
      delete p['objectId'];
    }
    if (c.kind === 'merge' && c.merge) Object.assign(p, c.merge, { numberOfPropertiesMoved: 0 });
    return p;
  }

  private enqueue(app: SandboxApp, payload: Record<string, unknown>): void {
    const q = this.queues.get(app.appId) ?? [];
    q.push({ payload });
    this.queues.set(app.appId, q);
    if (q.length >= MAX_BATCH) return this.flush(app.appId);
    if (!this.flushTimers.has(app.appId)) {
      const t = setTimeout(() => this.flush(app.appId), this.state.knobs().webhookBatchWindowMs);
      t.unref();
      this.flushTimers.set(app.appId, t);
    }
  }

  private flush(appId: number): void {
    const timer = this.flushTimers.get(appId);
    if (timer) clearTimeout(timer);
    this.flushTimers.delete(appId);
    const q = this.queues.get(appId) ?? [];
    const app = this.state.auth.apps.get(appId);
    if (!app?.webhookSettings) return void this.queues.delete(appId);
    const max = app.webhookSettings.maxConcurrentRequests;
    while (q.length > 0 && (this.inFlight.get(appId) ?? 0) < max) {
      const batch = q.splice(0, MAX_BATCH).map((e) => e.payload);
      void this.deliver(app, batch, 1);
    }
    if (q.length > 0 && !this.flushTimers.has(appId)) {
      const t = setTimeout(() => this.flush(appId), 50);
      t.unref();
      this.flushTimers.set(appId, t);
    }
  }

  private async deliver(app: SandboxApp, events: Array<Record<string, unknown>>, attempt: number): Promise<void> {
    const settings = app.webhookSettings;
    if (!settings) return;
    const url = settings.targetUrl;
    const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt - 1 })));
    const timestamp = Date.now();
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': String(timestamp),
      'x-hubspot-signature-v3': createHmac('sha256', app.clientSecret).update(`POST${url}${body}${timestamp}`).digest('base64'),
      'x-hubspot-signature': createHash('sha256').update(app.clientSecret + body).digest('hex'),
      'x-hubspot-signature-version': 'v1',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (sandbox)',
    };
    this.inFlight.set(app.appId, (this.inFlight.get(app.appId) ?? 0) + 1);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      this.inFlight.set(app.appId, Math.max(0, (this.inFlight.get(app.appId) ?? 1) - 1));
    }
    const log = this.deliveries.get(app.appId) ?? [];
    log.push({ at: new Date(timestamp).toISOString(), url, status, attempt, events: events.length, ...(error ? { error } : {}) });
    if (log.length > LOG_SIZE) log.splice(0, log.length - LOG_SIZE);
    this.deliveries.set(app.appId, log);
    const ok = status !== null && status >= 200 && status < 300;
    const knobs = this.state.knobs();
    if (!ok && attempt < knobs.webhookMaxAttempts) {
      const delay = knobs.webhookRetryBaseMs * 2 ** (attempt - 1);
      const t = setTimeout(() => {
        this.retryTimers.delete(t);
        void this.deliver(app, events, attempt + 1);
      }, delay);
      t.unref();
      this.retryTimers.add(t);
    } else if (!ok) {
      this.logger.warn(`webhook delivery to app ${app.appId} gave up after ${attempt} attempts`);
    }
    if ((this.queues.get(app.appId)?.length ?? 0) > 0) this.flush(app.appId);
  }
}

function matches(sub: WebhookSubscription, c: CrmChange): boolean {
  const [prefix, action] = sub.eventType.split('.');
  if (action !== c.kind) return false;
  if (prefix === 'object') {
    if (sub.objectTypeId && sub.objectTypeId !== c.objectTypeId) return false;
  } else if (LEGACY_PREFIX[c.objectTypeId] !== prefix) {
    return false;
  }
  if (c.kind === 'propertyChange' && sub.propertyName && sub.propertyName !== c.propertyName) return false;
  return true;
}
