import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { strictValidation } from '../http/validation.pipe';
import { CreateBridgeDto } from './bridge.dto';
import { BridgesService, CreatedBridge } from './bridges.service';

@Controller('connection_bridges')
@UseGuards(ApiKeyGuard)
export class BridgesController {
  constructor(
    private readonly bridges: BridgesService,
    private readonly organizations: OrganizationResolver,
  ) {}

  /** → `{ id, url }`: `url` is a one-time browser link into the OAuth flow. */
  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body(strictValidation()) body: CreateBridgeDto): Promise<CreatedBridge> {
    const organizationUid = await this.organizations.resolve(principal, body.organization_uid);
    return this.bridges.create({
      organizationUid,
      userUid: principal.userUid,
      integrationId: body.integration_id,
      label: body.label ?? null,
      redirectUri: body.redirect_uri,
    });
  }
}
