import { Body, Controller, Get, Headers, MessageEvent, Put, Query, Sse } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { CurrentPrincipal, OrganizationResolver, Principal } from '@hubsync/api-keys';
import { FiltersService } from '../filters/filters.service';
import { Authenticated } from '../http/authenticated.decorator';
import { OrganizationQueryDto } from '../hubspot-sync/hubspot-sync.dto';
import { SyncEventsService } from '../work/sync-events.service';
import { EventsQueryDto, RunsQueryDto, SkippedRecordsQueryDto } from './operator.dto';
import { OperatorService } from './operator.service';
import { SyncEventStreamService } from './sync-event-stream.service';

const FILTERS_EXAMPLE = {
  companies: { lifecycle_stages: ['customer'], owner_ids: ['12345'] },
  contacts: { roles: ['sales'], engaged_within_days: 90 },
  deals: { pipelines: ['default'], amount_greater_than: 1000 },
  activities: { types: ['meetings', 'calls'], from: '2024-01-01', outcomes: { meetings: ['COMPLETED'] } },
  criteria: { companies: [{ condition: 'EQUALS', field: 'industry', value: 'COMPUTER_SOFTWARE' }] },
};

@ApiTags('Operator: runs, events, skipped records, filters, rate limits')
@Authenticated()
@Controller('api/integrations/hubspot')
export class OperatorController {
  constructor(
    private readonly operator: OperatorService,
    private readonly events: SyncEventsService,
    private readonly stream: SyncEventStreamService,
    private readonly filters: FiltersService,
    private readonly organizations: OrganizationResolver,
  ) {}

  @Get('sync/runs')
  @ApiOperation({ summary: 'Run history, newest first (paged with next_cursor)' })
  async runs(@CurrentPrincipal() principal: Principal, @Query() query: RunsQueryDto) {
    return this.operator.runHistory(await this.organizations.resolve(principal, query.organization_uid), query.limit ?? 20, query.cursor);
  }

  @Get('sync/events')
  @ApiOperation({ summary: 'Sync log events, oldest first after after_id (paged with next_after_id); live: GET sync/events/stream' })
  @ApiOkResponse({ example: { data: [{ id: '1', run_id: null, job_id: null, level: 'info', type: 'sync.queued', message: 'HubSpot sync (full) queued', data: {}, created_at: '2025-01-06T09:00:00.000Z' }], next_after_id: '1' } })
  async eventsPage(@CurrentPrincipal() principal: Principal, @Query() query: EventsQueryDto) {
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    const data = await this.events.page(organizationUid, { afterId: query.after_id, runId: query.run_id, limit: query.limit ?? 100, minLevel: query.level });
    return { organization_uid: organizationUid, data, next_after_id: data.length > 0 ? data[data.length - 1].id : (query.after_id ?? '0') };
  }

  @Sse('sync/events/stream')
  @ApiOperation({ summary: 'Live sync events as server-sent events: `log` (one per sync.events row; resume with Last-Event-ID) and `progress` (latest run snapshot when it changes)' })
  @ApiProduces('text/event-stream')
  async eventsStream(@CurrentPrincipal() principal: Principal, @Query() query: EventsQueryDto, @Headers('last-event-id') lastEventId?: string): Promise<Observable<MessageEvent>> {
    const organizationUid = await this.organizations.resolve(principal, query.organization_uid);
    const resume = lastEventId && /^\d{1,18}$/.test(lastEventId) ? lastEventId : query.after_id;
    return this.stream.stream(organizationUid, { afterId: resume, runId: query.run_id, minLevel: query.level });
  }

  @Get('skipped-records')
  @ApiOperation({ summary: 'Records the mapper refused, grouped by object type and rule, with counts and examples' })
  @ApiOkResponse({
    example: {
      organization_uid: '00000000-0000-0000-0000-000000000000',
      total: 3,
      groups: [{ object_type: 'companies', rule: 'missing_domain', count: 3, last_seen_at: '2025-01-06T09:02:00.000Z', examples: [{ object_id: '101', detail: 'company has no domain', run_id: 'RUN_ID', created_at: '2025-01-06T09:02:00.000Z' }] }],
    },
  })
  async skipped(@CurrentPrincipal() principal: Principal, @Query() query: SkippedRecordsQueryDto) {
    return this.operator.skippedRecords(await this.organizations.resolve(principal, query.organization_uid), {
      objectType: query.object_type,
      rule: query.rule,
      runId: query.run_id,
      examples: query.examples ?? 5,
    });
  }

  @Get('filters')
  @ApiOperation({ summary: 'Sync filters of the organization' })
  @ApiOkResponse({ example: { organization_uid: '00000000-0000-0000-0000-000000000000', filters: FILTERS_EXAMPLE, updated_at: '2025-01-06T09:00:00.000Z' } })
  async getFilters(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.filters.get(await this.organizations.resolve(principal, query.organization_uid));
  }

  @Put('filters')
  @ApiOperation({
    summary: 'Replace the sync filters (validated: names every bad field; criteria limited by HubSpot search limits)',
    description:
      'companies: lifecycle_stages, owner_ids, criteria; contacts: roles, engaged_within_days, criteria; deals: pipelines, stages, amount_greater_than, amount_less_than, criteria; activities: types, from, to, outcomes {calls, meetings, tasks}; criteria: OpsHub criteria per object type [{ condition: EQUALS|NOT_EQUALS|GREATER_THAN|LESS_THAN|IN|CONTAINS, field, value }]. Applies to syncs started afterwards.',
  })
  @ApiBody({ schema: { type: 'object' }, examples: { stanna: { value: FILTERS_EXAMPLE } } })
  async putFilters(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto, @Body() body: unknown) {
    return this.filters.put(await this.organizations.resolve(principal, query.organization_uid), principal.userUid, body);
  }

  @Get('rate-limits')
  @ApiOperation({ summary: 'HubSpot rate-limit usage per connected portal: 10-second window, search, daily, 429s, DAILY pause' })
  async rateLimits(@CurrentPrincipal() principal: Principal, @Query() query: OrganizationQueryDto) {
    return this.operator.rateLimits(await this.organizations.resolve(principal, query.organization_uid));
  }
}
