import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { OrganizationQueryDto } from '../hubspot-sync/hubspot-sync.dto';
import { AddSourceStreamsDto, CreateEltSyncDto, EltSyncDto, UpdateEltSyncDto } from './elt.dto';
import { EltSyncsService } from './elt-syncs.service';

const NOT_FOUND = { description: 'No such ELT sync in the caller\'s organizations', type: ErrorBodyDto };

@ApiTags('Management API: ELT syncs (Weld)')
@Authenticated()
@Controller('elt_syncs')
export class EltSyncsController {
  constructor(
    private readonly service: EltSyncsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List syncs' })
  @ApiOkResponse({ description: '{ data: [elt sync] }' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.service.list(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Post()
  @ApiOperation({ summary: 'Create a sync from a connection into a destination schema, on a cron schedule' })
  @ApiBody({ type: CreateEltSyncDto, examples: { seed: { value: { connection_id: 'YOUR_CONNECTION_ID', destination_schema_name: 'hubspot', sync_interval: '0 */6 * * *' } } } })
  @ApiCreatedResponse({ type: EltSyncDto })
  @ApiBadRequestResponse({ description: 'Invalid cron or time zone, reserved, malformed or taken schema name', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'The connection is not one of the organization', type: ErrorBodyDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateEltSyncDto) {
    return this.service.create(await this.organizations.resolve(principal, body.organization_uid), principal.userUid, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get sync details' })
  @ApiOkResponse({ type: EltSyncDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.get(id, await this.organizations.accessible(principal));
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update sync (schedule, time zone, destination schema)' })
  @ApiBody({ type: UpdateEltSyncDto, examples: { businessHours: { value: { sync_interval: '*/15 8-18 * * 1-5', time_zone: 'Europe/Copenhagen' } } } })
  @ApiOkResponse({ type: EltSyncDto })
  @ApiBadRequestResponse({ description: 'Invalid cron, time zone or schema name', type: ErrorBodyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateEltSyncDto) {
    return this.service.update(id, await this.organizations.accessible(principal), body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete sync (its streams and schedule go with it)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse(NOT_FOUND)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.service.remove(id, await this.organizations.accessible(principal));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable sync (resumes its schedule)' })
  @ApiOkResponse({ type: EltSyncDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async enable(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.setEnabled(id, await this.organizations.accessible(principal), true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable sync (pauses its schedule)' })
  @ApiOkResponse({ type: EltSyncDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async disable(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.setEnabled(id, await this.organizations.accessible(principal), false);
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Get sync status: running jobs, next scheduled run, recent schedule fires, per-stream last run' })
  @ApiNotFoundResponse(NOT_FOUND)
  async status(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.status(id, await this.organizations.accessible(principal));
  }

  @Get(':id/available_source_streams')
  @ApiOperation({ summary: 'List available streams (object types the connection can read)' })
  @ApiOkResponse({ example: { data: [{ name: 'contacts', label: 'Contacts', custom: false, selected: true }, { name: 'companies', label: 'Companies', custom: false, selected: false }] } })
  @ApiNotFoundResponse(NOT_FOUND)
  async available(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.availableStreams(id, await this.organizations.accessible(principal));
  }

  @Post(':id/source_streams')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add streams (new streams of an enabled sync get their initial load queued)' })
  @ApiBody({ type: AddSourceStreamsDto, examples: { seed: { value: { source_streams: [{ name: 'contacts' }, { name: 'companies' }, { name: 'deals' }] } } } })
  @ApiOkResponse({ type: EltSyncDto })
  @ApiBadRequestResponse({ description: 'Unknown stream (the available ones are listed)', type: ErrorBodyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async addStreams(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AddSourceStreamsDto) {
    return this.service.addStreams(id, await this.organizations.accessible(principal), body);
  }
}

@ApiTags('Management API: ELT streams (Weld)')
@Authenticated()
@Controller('elt_streams')
export class EltStreamsController {
  constructor(
    private readonly service: EltSyncsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Post(':id/request_run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Trigger stream run: an association and delete sweep now (record changes flow continuously)' })
  @ApiAcceptedResponse({ example: { id: 'STREAM_ID', name: 'contacts', status: 'queued', job_ids: ['JOB_ID', 'JOB_ID'] } })
  @ApiNotFoundResponse({ description: 'No such stream in the caller\'s organizations', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'Sync disabled or connection not active', type: ErrorBodyDto })
  async requestRun(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.service.requestRun(id, await this.organizations.accessible(principal));
  }

  @Post(':id/request_full_refresh')
  @HttpCode(202)
  @ApiOperation({ summary: 'Request full refresh: re-read every record of the stream' })
  @ApiAcceptedResponse({ example: { id: 'STREAM_ID', name: 'contacts', status: 'queued', run_id: 'RUN_ID', job_id: 'JOB_ID' } })
  @ApiOkResponse({ description: 'A full refresh of this stream is already queued or running', example: { id: 'STREAM_ID', name: 'contacts', skipped: true, reason: 'full_refresh_in_progress', run_id: 'RUN_ID' } })
  @ApiNotFoundResponse({ description: 'No such stream in the caller\'s organizations', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'Sync disabled or connection not active', type: ErrorBodyDto })
  async requestFullRefresh(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    const answer = await this.service.requestFullRefresh(id, await this.organizations.accessible(principal));
    if (!answer.accepted) response.status(200);
    return answer.body;
  }
}
