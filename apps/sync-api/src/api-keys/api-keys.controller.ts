import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ApiKeyService, CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { OrganizationQueryDto } from '../hubspot-sync/hubspot-sync.dto';

export class CreateApiKeyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiProperty({ example: 'CI pipeline' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}

/** API keys of the caller's organizations: created (plaintext shown once), listed by prefix, revoked. */
@ApiTags('API keys')
@Authenticated()
@Controller('api/keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List the organization\'s API keys (prefix only, never the key)' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    const keys = await this.keys.list(organizationUid);
    return {
      organization_uid: organizationUid,
      data: keys.map((k) => ({ id: k.uid, name: k.name, prefix: k.prefix, user_uid: k.user_uid, created_at: k.created_at, last_used_at: k.last_used_at, revoked_at: k.revoked_at })),
    };
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key for the calling user; the plaintext key is returned once' })
  @ApiCreatedResponse({ example: { id: 'KEY_ID', prefix: '1a2b3c4d', api_key: 'hsk_1a2b3c4d_…', organization_uid: '00000000-0000-0000-0000-000000000000' } })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto) {
    const organizationUid = await this.organizations.resolve(principal, body.organization_uid);
    const key = await this.keys.create({ organizationUid, userUid: principal.userUid, name: body.name });
    return { id: key.uid, prefix: key.prefix, api_key: key.apiKey, organization_uid: organizationUid };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (by id or prefix)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiOkResponse()
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: OrganizationQueryDto): Promise<void> {
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    await this.keys.revoke(organizationUid, id);
  }
}
