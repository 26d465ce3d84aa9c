import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { boolParam, intParam, listParam, stringParam } from '../http/query-params';
import { Caller, HubSpotContext, SandboxRequest } from '../http/request-context';
import { ObjectsService } from './objects.service';

const baseUrl = (req: SandboxRequest) => `${req.protocol}://${req.get('host')}`;

/**
 * `/crm/v3/objects/{objectType}` — paths, verbs and status codes as in the SDK's
 * lib/codegen/crm/objects/apis/{BasicApi,BatchApi,SearchApi}.js (create 201, archive 204,
 * batch create 201|207, batch read/update/upsert 200|207, batch archive 204, search 200) and
 * the per-type MergeApi/GdprApi (merge 200, gdpr-delete 204).
 */
@Controller('crm/v3/objects')
export class ObjectsController {
  constructor(private readonly objects: ObjectsService) {}

  @Get(':objectType')
  list(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Query() q: Record<string, unknown>, @Req() req: SandboxRequest) {
    return this.objects.list(ctx, type, {
      // List pages: default 10, at most 100 (HUBSPOT-FACTS.md, Objects).
      limit: intParam(q['limit'], 'limit', 10, 100),
      after: stringParam(q['after']),
      properties: listParam(q['properties']),
      propertiesWithHistory: listParam(q['propertiesWithHistory']),
      associations: listParam(q['associations']),
      archived: boolParam(q['archived'], 'archived'),
    }, baseUrl(req));
  }

  @Post(':objectType')
  @HttpCode(201)
  create(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown) {
    return this.objects.create(ctx, type, body);
  }

  @Post(':objectType/search')
  @HttpCode(200)
  search(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown, @Req() req: SandboxRequest) {
    const raw = req.rawBody ? req.rawBody.toString('utf8').length : JSON.stringify(body ?? {}).length;
    return this.objects.search(ctx, type, body, raw, baseUrl(req));
  }

  @Post(':objectType/batch/read')
  batchRead(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown, @Query('archived') archived: unknown, @Res({ passthrough: true }) res: Response) {
    const out = this.objects.batchRead(ctx, type, body, boolParam(archived, 'archived'));
    res.status(out.status);
    return out.body;
  }

  @Post(':objectType/batch/create')
  batchCreate(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const out = this.objects.batchCreate(ctx, type, body);
    res.status(out.status);
    return out.body;
  }

  @Post(':objectType/batch/update')
  batchUpdate(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const out = this.objects.batchUpdate(ctx, type, body);
    res.status(out.status);
    return out.body;
  }

  @Post(':objectType/batch/upsert')
  batchUpsert(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const out = this.objects.batchUpsert(ctx, type, body);
    res.status(out.status);
    return out.body;
  }

  @Post(':objectType/batch/archive')
  @HttpCode(204)
  batchArchive(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown) {
    this.objects.batchArchive(ctx, type, body);
  }

  @Post('contacts/gdpr-delete')
  @HttpCode(204)
  gdprDelete(@Caller() ctx: HubSpotContext, @Body() body: unknown) {
    this.objects.gdprDelete(ctx, body);
  }

  @Post(':objectType/merge')
  @HttpCode(200)
  merge(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Body() body: unknown) {
    return this.objects.merge(ctx, type, body);
  }

  @Get(':objectType/:objectId')
  get(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('objectId') id: string, @Query() q: Record<string, unknown>) {
    return this.objects.get(ctx, type, id, {
      properties: listParam(q['properties']),
      propertiesWithHistory: listParam(q['propertiesWithHistory']),
      associations: listParam(q['associations']),
      archived: boolParam(q['archived'], 'archived'),
      idProperty: stringParam(q['idProperty']),
    });
  }

  @Patch(':objectType/:objectId')
  update(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('objectId') id: string, @Body() body: unknown, @Query('idProperty') idProperty: unknown) {
    return this.objects.update(ctx, type, id, body, stringParam(idProperty));
  }

  @Delete(':objectType/:objectId')
  @HttpCode(204)
  archive(@Caller() ctx: HubSpotContext, @Param('objectType') type: string, @Param('objectId') id: string) {
    this.objects.archive(ctx, type, id);
  }
}
