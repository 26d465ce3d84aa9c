import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { Authenticated } from '../http/authenticated.decorator';
import { ErrorBodyDto } from '../http/error-body.dto';
import { OrganizationQueryDto } from '../hubspot-sync/hubspot-sync.dto';
import { MappingsService } from './mappings.service';

const EXAMPLE = {
  mappings: [
    { target_entity: 'stanna.client', target_field: 'mrr', source: { firstNonEmpty: ['mrr', { divide: ['annual_recurring_revenue', { literal: 12 }] }] } },
    { target_entity: 'stanna.client', target_field: 'renewal_date', source: { firstNonEmpty: ['renewal_date', 'contract_end_date'] } },
    { target_entity: 'stanna.stakeholder', target_field: 'name', source: { concat: ['firstname', 'lastname'], separator: ' ' } },
  ],
};

@ApiTags('Operator: property mappings')
@Authenticated()
@Controller('api/integrations/hubspot/mappings')
export class MappingsController {
  constructor(
    private readonly mappings: MappingsService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Property mappings of the organization, and the target entities and fields they can fill' })
  async get(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.mappings.get(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the property mappings (validated against the mirror; changed entities are re-mapped from the mirror)',
    description: 'source: a property name, or { property } | { literal } | { concat, separator } | { divide: [a, b] } | { firstNonEmpty } | { lookup, table, default } | { dateParse, format }.',
  })
  @ApiBody({ schema: { type: 'object' }, examples: { stanna: { value: EXAMPLE } } })
  @ApiOkResponse({ description: 'Saved mappings; remapping lists the entities queued for re-mapping' })
  @ApiBadRequestResponse({ description: 'Unknown target entity/field or HubSpot property (named), malformed expression', type: ErrorBodyDto })
  async put(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto, @Body() body: unknown) {
    return this.mappings.put(await this.organizations.resolve(principal, query.organization_uid), body);
  }
}
