import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { boolParam, intParam, stringParam } from '../http/query-params';
import { Caller, HubSpotContext, SandboxRequest } from '../http/request-context';
import { MetadataService } from './metadata.service';

/**
 * Properties, schemas (both `/crm/v3/schemas` and the SDK's `/crm-object-schemas/v3/schemas`),
 * pipelines and owners. Statuses from the SDK: property create 201, archive 204; schema create 201.
 */
@Controller()
export class MetadataController {
  constructor(private readonly metadata: MetadataService) {}

  @Get('crm/v3/properties/:objectType')
  listProperties(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Query('archived') archived: unknown) {
    return this.metadata.listProperties(ctx, type, boolParam(archived, 'archived'));
  }

  @Get('crm/v3/properties/:objectType/groups')
  groups(@Caller() ctx: HubSpotContext, @Param('objectType') type: string) {
    return this.metadata.propertyGroups(ctx, type);
  }

  @Post('crm/v3/properties/:objectType/batch/read')
  @HttpCode(200)
  batchReadProperties(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown) {
    return this.metadata.batchReadProperties(ctx, type, body);
  }

  @Get('crm/v3/properties/:objectType/:name')
  getProperty(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('name') name: string, @Query('archived') archived: unknown) {
    return this.metadata.getProperty(ctx, type, name, boolParam(archived, 'archived'));
  }

  @Post('crm/v3/properties/:objectType')
  @HttpCode(201)
  createProperty(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown) {
    return this.metadata.createProperty(ctx, type, body);
  }

  @Patch('crm/v3/properties/:objectType/:name')
  updateProperty(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('name') name: string, @Body() body: unknown) {
    return this.metadata.updateProperty(ctx, type, name, body);
  }

  @Delete('crm/v3/properties/:objectType/:name')
  @HttpCode(204)
  archiveProperty(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('name') name: string) {
    this.metadata.archiveProperty(ctx, type, name);
  }

  @Get(['crm/v3/schemas', 'crm-object-schemas/v3/schemas'])
  listSchemas(@Caller() ctx: HubSpotContext, @Query('archived') archived: unknown) {
    return this.metadata.listSchemas(ctx, boolParam(archived, 'archived'));
  }

  @Get(['crm/v3/schemas/:objectType', 'crm-object-schemas/v3/schemas/:objectType'])
  getSchema(@Caller() ctx: HubSpotContext, @Param('objectType') type: string) {
    return this.metadata.getSchema(ctx, type);
  }

  @Post(['crm/v3/schemas', 'crm-object-schemas/v3/schemas'])
  @HttpCode(201)
  createSchema(@Caller() ctx: HubSpotContext, @Body() body: unknown) {
    return this.metadata.createSchema(ctx, body);
  }

  @Get('crm/v3/pipelines/:objectType')
  pipelines(@Caller() ctx: HubSpotContext, @Param('objectType') type: string) {
    return this.metadata.listPipelines(ctx, type);
  }

  @Get('crm/v3/pipelines/:objectType/:pipelineId')
  pipeline(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('pipelineId') id: string) {
    return this.metadata.getPipeline(ctx, type, id);
  }

  @Get('crm/v3/pipelines/:objectType/:pipelineId/stages')
  stages(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('pipelineId') id: string) {
    return this.metadata.listStages(ctx, type, id);
  }

  @Get('crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId')
  stage(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('pipelineId') id: string, @Param('stageId') stageId: string) {
    return this.metadata.getStage(ctx, type, id, stageId);
  }

  /** The SDK calls `/crm/v3/owners/` (trailing slash); both forms answer. Page size ≤ 500. */
  @Get(['crm/v3/owners', 'crm/v3/owners/'])
  owners(@Caller() ctx: HubSpotContext, @Query() q: Record<string, unknown>, @Req() req: SandboxRequest) {
    return this.metadata.listOwners(ctx, {
      email: stringParam(q['email']), after: stringParam(q['after']), limit: intParam(q['limit'], 'limit', 100, 500), archived: boolParam(q['archived'], 'archived'),
    }, `${req.protocol}://${req.get('host')}`);
  }

  @Get('crm/v3/owners/:ownerId')
  owner(@Caller() ctx: HubSpotContext, @Param('ownerId') id: string, @Query() q: Record<string, unknown>) {
    return this.metadata.getOwner(ctx, id, stringParam(q['idProperty']), boolParam(q['archived'], 'archived'));
  }
}
