import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

export class SubscriptionDto {
  @ApiProperty({ example: 'deal.propertyChange' })
  @IsString({ message: 'event_type must be a string' })
  @Matches(/^[a-z_]+\.[A-Za-z]+$/, { message: 'event_type must look like contact.creation' })
  event_type!: string;

  @ApiPropertyOptional({ example: 'dealstage' })
  @IsOptional()
  @IsString({ message: 'property_name must be a string' })
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/, { message: 'property_name must be a HubSpot property name' })
  property_name?: string;
}

export class SubscribeWebhooksDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiPropertyOptional({ description: 'Public URL HubSpot calls (default WEBHOOK_PUBLIC_URL)', example: 'https://sync.example.com/api/integrations/hubspot/webhooks' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'target_url must be an http(s) URL' })
  target_url?: string;

  @ApiPropertyOptional({ type: [SubscriptionDto], description: 'Default: creation, deletion, propertyChange, associationChange, merge, restore of contacts, companies and deals' })
  @IsOptional()
  @IsArray({ message: 'subscriptions must be an array' })
  @ArrayMaxSize(100, { message: 'subscriptions must contain at most 100 entries' })
  @ValidateNested({ each: true })
  @Type(() => SubscriptionDto)
  subscriptions?: SubscriptionDto[];

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt({ message: 'max_concurrent_requests must be an integer' })
  @Min(5, { message: 'max_concurrent_requests must be at least 5' })
  @Max(100, { message: 'max_concurrent_requests must be at most 100' })
  max_concurrent_requests?: number;
}

@ApiTags('Webhooks')
@Authenticated()
@Controller('api/integrations/hubspot/webhooks/subscribe')
export class WebhookSubscriptionsController {
  constructor(
    private readonly service: WebhookSubscriptionsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: "Configure the HubSpot app's webhook target URL and subscriptions (owners and admins)" })
  @ApiOkResponse({ example: { app_id: '1000001', target_url: 'https://sync.example.com/api/integrations/hubspot/webhooks', created: 18, subscriptions: [{ id: '1', event_type: 'contact.creation', property_name: null, active: true }] } })
  @ApiForbiddenResponse({ description: 'Caller is not an owner or admin', type: ErrorBodyDto })
  @ApiBadGatewayResponse({ description: "HubSpot's webhooks API failed", type: ErrorBodyDto })
  async subscribe(@CurrentPrincipal() principal: Principal, @Body() body: SubscribeWebhooksDto) {
    const organizationUid = await this.organizations.resolve(principal, body.organization_uid);
    return this.service.subscribe(organizationUid, principal.userUid, {
      targetUrl: body.target_url,
      subscriptions: body.subscriptions?.map((s) => ({ eventType: s.event_type, ...(s.property_name ? { propertyName: s.property_name } : {}) })),
      maxConcurrentRequests: body.max_concurrent_requests,
    });
  }
}
