import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { strictValidation } from '../http/validation.pipe';
import { ConnectionView, toConnectionView } from './connection.types';
import { CreatePrivateAppConnectionDto, ListConnectionsQueryDto } from './connection.dto';
import { ConnectionsService, DisconnectResult } from './connections.service';

/** Connections: private-app connect (seed 004) and Weld's `/connections` (seed 003). */
@Controller()
@UseGuards(ApiKeyGuard)
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Post('api/integrations/hubspot/connections')
  async createPrivateApp(
    @CurrentPrincipal() principal: Principal,
    @Body(strictValidation()) body: CreatePrivateAppConnectionDto,
  ): Promise<ConnectionView> {
    const organizationUid = await this.organizations.resolve(principal, body.organization_uid);
    const row = await this.connections.connectPrivateApp({
      organizationUid,
      userUid: principal.userUid,
      accessToken: body.access_token,
      label: body.label ?? null,
      objectTypes: this.connections.objectTypesOrDefault(body.object_types),
    });
    return toConnectionView(row);
  }

  @Get('connections')
  async list(@CurrentPrincipal() principal: Principal, @Query(strictValidation()) query: ListConnectionsQueryDto): Promise<{ data: ConnectionView[] }> {
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    const rows = await this.connections.list(organizationUid, query.include_disconnected ?? false);
    return { data: rows.map(toConnectionView) };
  }

  @Get('connections/:id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConnectionView> {
    return toConnectionView(await this.connections.get(id, await this.organizations.accessible(principal)));
  }

  @Delete('connections/:id')
  @HttpCode(200)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<DisconnectResult> {
    return this.connections.disconnect(id, await this.organizations.accessible(principal));
  }
}
