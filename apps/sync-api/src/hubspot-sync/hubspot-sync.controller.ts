import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { OrganizationQueryDto, StagesDto, StartSyncDto, SyncSkippedDto, SyncStartedDto, SyncStatusDto } from './hubspot-sync.dto';
import { HubspotSyncService } from './hubspot-sync.service';

@ApiTags('HubSpot sync (Exante)')
@Authenticated()
@ApiNotFoundResponse({ description: 'organization_uid is not an organization of the caller', type: ErrorBodyDto })
@Controller('api/integrations/hubspot/sync')
@ApiExtraModels(SyncStartedDto, SyncSkippedDto)
export class HubspotSyncController {
  constructor(
    private readonly service: HubspotSyncService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start the HubSpot initial sync for an organization',
    description:
      'Full mode syncs deals first, then the companies associated with those deals, then the contacts of those companies; catalog_only records them in ExternalObjectCatalog only. Returns early with skipped: true and reason: sync_in_progress while a full sync or backfill of the organization is queued or running.',
  })
  @ApiBody({ type: StartSyncDto, examples: { seed: { value: { organization_uid: '00000000-0000-0000-0000-000000000000', deal_stages: ['closedwon', 'contractsent'], mode: 'catalog_only' } } } })
  @ApiAcceptedResponse({ description: 'Sync queued', type: SyncStartedDto })
  @ApiOkResponse({ description: 'A sync is already in progress', schema: { $ref: getSchemaPath(SyncSkippedDto) }, example: { skipped: true, reason: 'sync_in_progress' } })
  @ApiBadRequestResponse({ description: 'Bad mode, unknown deal stage ids (the valid ones are listed), or unknown fields', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'No usable HubSpot connection (not_connected / needs_reauth)', type: ErrorBodyDto })
  @ApiServiceUnavailableResponse({ description: 'Deal pipelines not fetched yet (retry shortly)', type: ErrorBodyDto })
  async start(@CurrentPrincipal() principal: Principal, @Body() body: StartSyncDto, @Res({ passthrough: true }) response: Response) {
    const organizationUid = await this.organizations.resolve(principal, body.organization_uid);
    const answer = await this.service.start(organizationUid, body);
    if (!answer.accepted) response.status(200);
    return answer.body;
  }

  @Get('status')
  @ApiOperation({ summary: 'Current HubSpot sync state per object type (companies, contacts, deals, and any other type of the run)' })
  @ApiOkResponse({
    type: SyncStatusDto,
    example: {
      organization_uid: '00000000-0000-0000-0000-000000000000',
      companies: { status: 'completed', total_synced: 10, total_skipped: 2 },
      contacts: { status: 'syncing', total_synced: 4 },
      deals: { status: 'failed', error_message: 'example failure' },
    },
  })
  async status(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.service.status(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Get('stages')
  @ApiOperation({ summary: 'HubSpot deal pipelines and stages of the connected portal (use the stage ids in deal_stages)' })
  @ApiOkResponse({
    type: StagesDto,
    example: {
      pipelines: [
        {
          id: 'default',
          label: 'Sales Pipeline',
          stages: [
            { id: 'appointmentscheduled', label: 'Appointment Scheduled', display_order: 0 },
            { id: 'closedwon', label: 'Closed Won', display_order: 5 },
          ],
        },
      ],
    },
  })
  @ApiConflictResponse({ description: 'No usable HubSpot connection', type: ErrorBodyDto })
  @ApiServiceUnavailableResponse({ description: 'Pipelines not fetched yet (retry shortly)', type: ErrorBodyDto })
  async stages(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.service.stagesFor(await this.organizations.resolve(principal, query.organization_uid));
  }
}
