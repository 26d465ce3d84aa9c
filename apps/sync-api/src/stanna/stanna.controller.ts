import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { OrganizationQueryDto } from '../hubspot-sync/hubspot-sync.dto';
import { BackfillDto, HubspotConnectionStatusDto, IngestRunDto, IngestStatusQueryDto } from './stanna.dto';
import { StannaService } from './stanna.service';

const SKIPPED_EXAMPLE = { skipped: true, reason: 'sync_in_progress', run_id: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10' };

@ApiTags('Integration status and ingest (Stanna)')
@Authenticated()
@ApiNotFoundResponse({ description: 'organization_uid is not an organization of the caller', type: ErrorBodyDto })
@Controller('api')
export class StannaController {
  constructor(
    private readonly service: StannaService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Get('integrations/hubspot/status')
  @ApiOperation({ summary: 'HubSpot connection status: active or not, last successful sync time, granted and missing scopes, last error' })
  @ApiOkResponse({ type: HubspotConnectionStatusDto })
  async hubspotStatus(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.service.hubspotStatus(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Post('integrations/hubspot/backfill')
  @HttpCode(202)
  @ApiOperation({ summary: 'Historical data import with a configurable lookback on the create date (default 2 years)' })
  @ApiBody({ type: BackfillDto, examples: { default: { value: {} }, lookback: { value: { lookback: 'P1Y6M', object_types: ['companies', 'contacts', 'deals'] } } } })
  @ApiAcceptedResponse({
    description: 'Backfill queued',
    example: { run_id: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10', status: 'queued', organization_uid: '00000000-0000-0000-0000-000000000000', lookback: '2y', created_after: '2023-06-15T12:00:00.000Z', object_types: ['companies', 'contacts', 'deals'] },
  })
  @ApiOkResponse({ description: 'A sync is already in progress', example: SKIPPED_EXAMPLE })
  @ApiBadRequestResponse({ description: 'Bad lookback or object type', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'No usable HubSpot connection', type: ErrorBodyDto })
  async backfill(@CurrentPrincipal() principal: Principal, @Body() body: BackfillDto, @Res({ passthrough: true }) response: Response) {
    const answer = await this.service.backfill(await this.organizations.resolve(principal, body.organization_uid), body);
    if (!answer.accepted) response.status(200);
    return answer.body;
  }

  @Get('integrations/status')
  @ApiOperation({ summary: 'Every integration of the organization with its status' })
  @ApiOkResponse({
    example: {
      organization_uid: '00000000-0000-0000-0000-000000000000',
      integrations: [{ integration_id: 'hubspot-v2', provider: 'hubspot', label: 'hubspot-production', connected: true, connection_id: '3c9d1a9e-1f8e-4a5b-a0c2-8b1f1d2e3f40', portal_id: '62515', auth_type: 'oauth', status: 'active', scopes: [], missing_scopes: [], last_error: null, connected_at: '2025-01-06T09:00:00.000Z', last_successful_sync_at: '2025-01-06T09:15:00.000Z', sync_in_progress: false }],
    },
  })
  async integrationsStatus(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.service.integrationsStatus(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Post('ingest/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Trigger a full data sync (companies, contacts, deals, activities)' })
  @ApiBody({ type: IngestRunDto, required: false })
  @ApiAcceptedResponse({ example: { run_id: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10', status: 'queued', organization_uid: '00000000-0000-0000-0000-000000000000', object_types: ['companies', 'contacts', 'deals', 'calls', 'emails', 'meetings', 'notes', 'tasks'] } })
  @ApiOkResponse({ description: 'A sync is already in progress', example: SKIPPED_EXAMPLE })
  @ApiConflictResponse({ description: 'No usable HubSpot connection', type: ErrorBodyDto })
  async ingestRun(@CurrentPrincipal() principal: Principal, @Body() body: IngestRunDto, @Res({ passthrough: true }) response: Response) {
    const answer = await this.service.ingestRun(await this.organizations.resolve(principal, body.organization_uid));
    if (!answer.accepted) response.status(200);
    return answer.body;
  }

  @Get('ingest/status')
  @ApiOperation({ summary: 'Sync progress: per object type counts, percent of the estimate, started/finished, errors' })
  @ApiOkResponse({
    example: {
      organization_uid: '00000000-0000-0000-0000-000000000000',
      run_id: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10',
      kind: 'full_sync',
      mode: null,
      status: 'running',
      percent: 42.5,
      started_at: '2025-01-06T09:00:00.000Z',
      finished_at: null,
      objects: { companies: { status: 'completed', total_synced: 2000, total_skipped: 12, estimate: 2012, percent: 100, started_at: '2025-01-06T09:00:01.000Z', finished_at: '2025-01-06T09:02:00.000Z', requests: 40, http_429: 0 } },
      errors: [],
    },
  })
  async ingestStatus(@CurrentPrincipal() principal: Principal, @Query() query: IngestStatusQueryDto) {
    return this.service.ingestStatus(await this.organizations.resolve(principal, query.organization_uid), query.run_id);
  }
}
