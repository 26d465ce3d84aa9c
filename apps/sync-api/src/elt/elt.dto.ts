import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

export class CreateEltSyncDto {
  @ApiPropertyOptional({ description: "Organization that owns the sync. Falls back to the current user's default organization." })
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @ApiProperty({ description: 'A HubSpot connection of the organization (from /connections or the connection bridge)', example: '3c9d1a9e-1f8e-4a5b-a0c2-8b1f1d2e3f40' })
  @IsUUID('all', { message: 'connection_id must be a UUID' })
  connection_id!: string;

  @ApiPropertyOptional({
    description: 'PostgreSQL schema of the typed views. Lower-case identifier, unique; reserved: public, hubspot, core, sync, integration, stanna, exante, pg_*, information_schema. Default hubspot_<short org id>.',
    example: 'hubspot',
  })
  @IsOptional()
  @IsString({ message: 'destination_schema_name must be a string' })
  destination_schema_name?: string;

  @ApiPropertyOptional({ description: 'Cron expression (5 fields) for scheduled runs; default every 15 minutes', example: '0 */6 * * *', default: '*/15 * * * *' })
  @IsOptional()
  @IsString({ message: 'sync_interval must be a cron expression string' })
  sync_interval?: string;

  @ApiPropertyOptional({ description: 'IANA time zone the cron expression is evaluated in', example: 'Europe/Copenhagen', default: 'UTC' })
  @IsOptional()
  @IsString({ message: 'time_zone must be an IANA time zone name' })
  time_zone?: string;
}

export class UpdateEltSyncDto {
  @ApiPropertyOptional({ example: 'hubspot_sales' })
  @IsOptional()
  @IsString({ message: 'destination_schema_name must be a string' })
  destination_schema_name?: string;

  @ApiPropertyOptional({ example: '*/15 8-18 * * 1-5' })
  @IsOptional()
  @IsString({ message: 'sync_interval must be a cron expression string' })
  sync_interval?: string;

  @ApiPropertyOptional({ example: 'Europe/Copenhagen' })
  @IsOptional()
  @IsString({ message: 'time_zone must be an IANA time zone name' })
  time_zone?: string;
}

export class SourceStreamDto {
  @ApiProperty({ example: 'contacts' })
  @IsString({ message: 'name must be a stream name' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}

export class AddSourceStreamsDto {
  @ApiProperty({ type: [SourceStreamDto], example: [{ name: 'contacts' }, { name: 'companies' }, { name: 'deals' }] })
  @IsArray({ message: 'source_streams must be an array of { name }' })
  @ArrayMinSize(1, { message: 'source_streams must contain at least one stream' })
  @ArrayMaxSize(100, { message: 'source_streams must contain at most 100 streams' })
  @ValidateNested({ each: true })
  @Type(() => SourceStreamDto)
  source_streams!: SourceStreamDto[];
}

export class EltStreamDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'contacts' }) name!: string;
  @ApiProperty({ enum: ['active', 'paused'] }) status!: string;
  @ApiProperty() created_at!: string;
}

export class EltSyncDto {
  @ApiProperty() id!: string;
  @ApiProperty() organization_uid!: string;
  @ApiProperty() connection_id!: string;
  @ApiProperty({ example: 'hubspot-v2' }) integration_id!: string;
  @ApiProperty({ example: 'hubspot' }) destination_schema_name!: string;
  @ApiProperty({ example: '0 */6 * * *' }) sync_interval!: string;
  @ApiProperty({ example: 'UTC' }) time_zone!: string;
  @ApiProperty({ enum: ['active', 'paused'] }) status!: string;
  @ApiProperty({ nullable: true }) next_run_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiProperty({ type: [EltStreamDto] }) source_streams!: EltStreamDto[];
}
