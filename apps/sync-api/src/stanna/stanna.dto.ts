import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class BackfillDto {
  @ApiPropertyOptional({ description: "Organization to backfill. Falls back to the current user's default organization.", example: '00000000-0000-0000-0000-000000000000' })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiPropertyOptional({
    description: 'How far back on the create date: "2y", "18m", "6w", "90d", "12h" or an ISO-8601 duration ("P2Y", "P1Y6M"). Default 2 years.',
    default: '2y',
    example: '2y',
  })
  @IsOptional()
  @IsString({ message: 'lookback must be a string like "2y" or "P2Y"' })
  @Length(1, 40, { message: 'lookback must be 1 to 40 characters' })
  lookback?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Object types to backfill. Default: companies, contacts, deals and activities (calls, emails, meetings, notes, tasks).',
    example: ['companies', 'contacts', 'deals', 'meetings', 'calls'],
  })
  @IsOptional()
  @IsArray({ message: 'object_types must be an array of object type names' })
  @ArrayMinSize(1, { message: 'object_types must contain at least one object type' })
  @ArrayMaxSize(50, { message: 'object_types must contain at most 50 object types' })
  @ArrayUnique({ message: 'object_types must not repeat a type' })
  @IsString({ each: true, message: 'object_types must contain only strings' })
  @Length(1, 100, { each: true, message: 'object_types entries must be 1 to 100 characters' })
  object_types?: string[];
}

export class IngestRunDto {
  @ApiPropertyOptional({ description: "Organization to sync. Falls back to the current user's default organization.", example: '00000000-0000-0000-0000-000000000000' })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;
}

export class IngestStatusQueryDto {
  @ApiPropertyOptional({ example: '00000000-0000-0000-0000-000000000000' })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiPropertyOptional({ description: 'A specific run (default: the latest full sync or backfill)' })
  @IsOptional()
  @IsUUID('all', { message: 'run_id must be a UUID' })
  run_id?: string;
}

export class LastSyncDto {
  @ApiProperty() run_id!: string;
  @ApiProperty({ example: 'full_sync' }) kind!: string;
  @ApiProperty({ example: '2025-01-06T09:15:00.000Z' }) finished_at!: string | null;
}

export class HubspotConnectionStatusDto {
  @ApiProperty({ example: '00000000-0000-0000-0000-000000000000' }) organization_uid!: string;
  @ApiProperty({ example: true }) connected!: boolean;
  @ApiProperty({ nullable: true, example: '3c9d1a9e-1f8e-4a5b-a0c2-8b1f1d2e3f40' }) connection_id!: string | null;
  @ApiProperty({ nullable: true, example: '62515' }) portal_id!: string | null;
  @ApiProperty({ nullable: true, enum: ['oauth', 'private_app'] }) auth_type!: string | null;
  @ApiProperty({ enum: ['active', 'needs_reauth', 'disconnected'] }) status!: string;
  @ApiProperty({ type: [String], example: ['crm.objects.companies.read', 'crm.objects.contacts.read', 'crm.objects.deals.read'] }) scopes!: string[];
  @ApiProperty({ type: [String], example: [] }) missing_scopes!: string[];
  @ApiProperty({ nullable: true, example: null }) last_error!: string | null;
  @ApiProperty({ nullable: true, example: '2025-01-06T09:00:00.000Z' }) connected_at!: string | null;
  @ApiProperty({ type: LastSyncDto, nullable: true }) last_successful_sync!: LastSyncDto | null;
  @ApiProperty({ nullable: true, example: '2025-01-06T09:15:00.000Z' }) last_successful_sync_at!: string | null;
}
