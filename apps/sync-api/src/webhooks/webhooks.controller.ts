import { Body, Controller, HttpCode, Inject, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../http/error-body.dto';
import type { RequestWithRawBody } from '../http/configure-http';
import { invalidInput } from '../http/request-errors';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { validateWebhookEvents } from './webhook-events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3 } from './webhook-signature';
import { normaliseSignedUri, requestUrl } from './webhook-url';
import { WebhooksService } from './webhooks.service';

/** HubSpot → us. Authenticated by the v3 signature, not by an API key. */
@ApiTags('Webhooks')
@Controller('api/integrations/hubspot/webhooks')
export class WebhooksController {
  constructor(
    private readonly service: WebhooksService,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'HubSpot webhook intake: verifies X-HubSpot-Signature-v3, de-duplicates event ids and queues re-reads of the changed records' })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 'base64(HMAC-SHA256(client secret, method + URL + body + timestamp))' })
  @ApiHeader({ name: TIMESTAMP_HEADER, required: true, description: 'Milliseconds since the epoch; older than 5 minutes → 401' })
  @ApiBody({
    schema: { type: 'array', items: { type: 'object' } },
    examples: { creation: { value: [{ eventId: 100, subscriptionId: 2, portalId: 62515, appId: 1000001, occurredAt: 1735689600000, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 123, changeSource: 'CRM' }] } },
  })
  @ApiOkResponse({ example: { received: 1, duplicates: 0, queued_jobs: 1, unknown_portals: [] } })
  @ApiUnauthorizedResponse({ description: 'Bad or missing signature, or a timestamp older than 5 minutes; nothing queued', type: ErrorBodyDto })
  @ApiBadRequestResponse({ description: 'Signed, but not an array of webhook events', type: ErrorBodyDto })
  @ApiServiceUnavailableResponse({ description: 'HUBSPOT_CLIENT_SECRET is not configured', type: ErrorBodyDto })
  async receive(@Req() request: RequestWithRawBody, @Body() body: unknown) {
    const secret = this.settings.hubspotClientSecret;
    if (!secret) throw new ServiceUnavailableException('Webhook intake is not configured (HUBSPOT_CLIENT_SECRET is unset)');
    const url = normaliseSignedUri(
      requestUrl({
        publicUrl: this.settings.webhookPublicUrl,
        protocol: request.protocol,
        host: request.headers.host,
        originalUrl: request.originalUrl,
        forwardedProto: header(request.headers['x-forwarded-proto']),
        forwardedHost: header(request.headers['x-forwarded-host']),
      }),
    );
    const verdict = verifySignatureV3(
      {
        method: request.method,
        url,
        rawBody: request.rawBody?.toString('utf8') ?? '',
        signature: header(request.headers[SIGNATURE_HEADER]),
        timestamp: header(request.headers[TIMESTAMP_HEADER]),
      },
      secret,
      Date.now(),
    );
    if (!verdict.valid) throw new UnauthorizedException(`Webhook rejected: ${verdict.reason}`);
    const parsed = validateWebhookEvents(body);
    if (!parsed.ok) throw invalidInput(parsed.errors);
    return this.service.intake(parsed.events);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
