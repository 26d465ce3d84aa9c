import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { intParam, stringParam } from '../http/query-params';
import { Caller, HubSpotContext, SandboxRequest } from '../http/request-context';
import { ASSOC_PAGE_SIZE, AssociationsService } from './associations.service';

/**
 * `/crm/v4/…` association routes; verbs and statuses from the SDK's v4 BasicApi/BatchApi
 * (PUT create 201, PUT default 200, DELETE 204, batch read 200|207, batch create 201|207,
 * batch default 200, batch archive 204, labels archive 204).
 */
@Controller('crm/v4')
export class AssociationsController {
  constructor(private readonly associations: AssociationsService) {}

  @Post('associations/:from/:to/batch/read')
  batchRead(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const out = this.associations.batchRead(ctx, from, to, body);
    res.status(out.status);
    return out.body;
  }

  @Post('associations/:from/:to/batch/create')
  @HttpCode(201)
  batchCreate(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string, @Body() body: unknown) {
    return this.associations.batchCreate(ctx, from, to, body);
  }

  @Post('associations/:from/:to/batch/associate/default')
  @HttpCode(200)
  batchDefault(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string, @Body() body: unknown) {
    return this.associations.batchCreateDefault(ctx, from, to, body);
  }

  @Post('associations/:from/:to/batch/archive')
  @HttpCode(204)
  batchArchive(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string, @Body() body: unknown) {
    this.associations.batchArchive(ctx, from, to, body);
  }

  @Post('associations/:from/:to/batch/labels/archive')
  @HttpCode(204)
  batchArchiveLabels(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string, @Body() body: unknown) {
    this.associations.batchArchiveLabels(ctx, from, to, body);
  }

  @Get('associations/:from/:to/labels')
  labels(@Caller() ctx: HubSpotContext, @Param('from') from: string, @Param('to') to: string) {
    return this.associations.labels(ctx, from, to);
  }

  @Get('objects/:type/:id/associations/:toType')
  getPage(@Caller() ctx: HubSpotContext, @Param('type') type: string, @Param('id') id: string, @Param('toType') toType: string, @Query() q: Record<string, unknown>, @Req() req: SandboxRequest) {
    return this.associations.getPage(ctx, type, id, toType, stringParam(q['after']), intParam(q['limit'], 'limit', ASSOC_PAGE_SIZE, ASSOC_PAGE_SIZE), `${req.protocol}://${req.get('host')}`);
  }

  @Put('objects/:type/:id/associations/default/:toType/:toId')
  @HttpCode(200)
  createDefault(@Caller() ctx: HubSpotContext, @Param('type') type: string, @Param('id') id: string, @Param('toType') toType: string, @Param('toId') toId: string) {
    return this.associations.createDefault(ctx, type, id, toType, toId);
  }

  @Put('objects/:type/:id/associations/:toType/:toId')
  @HttpCode(201)
  create(@Caller() ctx: HubSpotContext, @Param('type') type: string, @Param('id') id: string, @Param('toType') toType: string, @Param('toId') toId: string, @Body() body: unknown) {
    return this.associations.create(ctx, type, id, toType, toId, body);
  }

  @Delete('objects/:type/:id/associations/:toType/:toId')
  @HttpCode(204)
  archive(@Caller() ctx: HubSpotContext, @Param('type') type: string, @Param('id') id: string, @Param('toType') toType: string, @Param('toId') toId: string) {
    this.associations.archive(ctx, type, id, toType, toId);
  }
}
