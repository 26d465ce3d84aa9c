import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export const SYNC_MODES = ['full', 'catalog_only'] as const;

export class OrganizationQueryDto {
  @ApiPropertyOptional({
    description: "Organization to act on. Falls back to the current user's default organization.",
    example: '00000000-0000-0000-0000-000000000000',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;
}

export class StartSyncDto {
  @ApiPropertyOptional({
    description: "Organization to sync. Falls back to the current user's default organization.",
    example: '00000000-0000-0000-0000-000000000000',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiPropertyOptional({
    type: [String],
    description: "Restricts the sync to deals whose dealstage matches one of these HubSpot stage ids (see GET /api/integrations/hubspot/sync/stages). If omitted, all deal stages are eligible.",
    example: ['closedwon', 'contractsent'],
  })
  @IsOptional()
  @IsArray({ message: 'deal_stages must be an array of stage ids' })
  @ArrayMinSize(1, { message: 'deal_stages must contain at least one stage id (omit it to sync every stage)' })
  @ArrayMaxSize(200, { message: 'deal_stages must contain at most 200 stage ids' })
  @ArrayUnique({ message: 'deal_stages must not repeat a stage id' })
  @IsString({ each: true, message: 'deal_stages must contain only strings' })
  @Length(1, 100, { each: true, message: 'deal_stages entries must be 1 to 100 characters' })
  deal_stages?: string[];

  @ApiPropertyOptional({
    enum: SYNC_MODES,
    default: 'full',
    description: 'full creates Exante objects (Documents, Parties, Contacts); catalog_only populates ExternalObjectCatalog entries only.',
    example: 'catalog_only',
  })
  @IsOptional()
  @IsIn(SYNC_MODES as unknown as string[], { message: 'mode must be one of: full, catalog_only' })
  mode?: (typeof SYNC_MODES)[number];
}

export class SyncStartedDto {
  @ApiProperty({ example: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10' })
  run_id!: string;
  @ApiProperty({ example: 'queued' })
  status!: string;
  @ApiProperty({ example: '00000000-0000-0000-0000-000000000000' })
  organization_uid!: string;
  @ApiProperty({ enum: SYNC_MODES, example: 'catalog_only' })
  mode!: string;
  @ApiPropertyOptional({ type: [String], example: ['closedwon', 'contractsent'] })
  deal_stages?: string[];
}

export class SyncSkippedDto {
  @ApiProperty({ example: true })
  skipped!: boolean;
  @ApiProperty({ example: 'sync_in_progress' })
  reason!: string;
  @ApiPropertyOptional({ example: '6f1c1f0e-8a51-4c57-9d7e-2f0d1f7c2a10', description: 'The run in progress' })
  run_id?: string | null;
}

export class ObjectSyncStateDto {
  @ApiProperty({ enum: ['not_started', 'pending', 'syncing', 'completed', 'failed'], example: 'completed' })
  status!: string;
  @ApiPropertyOptional({ example: 10 })
  total_synced?: number;
  @ApiPropertyOptional({ example: 2 })
  total_skipped?: number;
  @ApiPropertyOptional({ example: 'example failure' })
  error_message?: string;
}

export class SyncStatusDto {
  @ApiProperty({ example: '00000000-0000-0000-0000-000000000000' })
  organization_uid!: string;
  @ApiProperty({ type: ObjectSyncStateDto, example: { status: 'completed', total_synced: 10, total_skipped: 2 } })
  companies!: ObjectSyncStateDto;
  @ApiProperty({ type: ObjectSyncStateDto, example: { status: 'syncing', total_synced: 4 } })
  contacts!: ObjectSyncStateDto;
  @ApiProperty({ type: ObjectSyncStateDto, example: { status: 'failed', error_message: 'example failure' } })
  deals!: ObjectSyncStateDto;
}

export class StageDto {
  @ApiProperty({ example: 'appointmentscheduled' })
  id!: string;
  @ApiProperty({ example: 'Appointment Scheduled' })
  label!: string;
  @ApiProperty({ example: 0 })
  display_order!: number;
}

export class PipelineDto {
  @ApiProperty({ example: 'default' })
  id!: string;
  @ApiProperty({ example: 'Sales Pipeline' })
  label!: string;
  @ApiProperty({
    type: [StageDto],
    example: [
      { id: 'appointmentscheduled', label: 'Appointment Scheduled', display_order: 0 },
      { id: 'closedwon', label: 'Closed Won', display_order: 5 },
    ],
  })
  stages!: StageDto[];
}

export class StagesDto {
  @ApiProperty({ type: [PipelineDto] })
  pipelines!: PipelineDto[];
}
