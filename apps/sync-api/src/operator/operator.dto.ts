import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

export class RunsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'organization_uid must be a UUID' }) organization_uid?: string;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 100' })
  @Max(100, { message: 'limit must be between 1 and 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be a next_cursor value from a previous page' })
  cursor?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'organization_uid must be a UUID' }) organization_uid?: string;

  @ApiPropertyOptional({ description: 'Only events of this run' })
  @IsOptional()
  @IsUUID('all', { message: 'run_id must be a UUID' })
  run_id?: string;

  @ApiPropertyOptional({ description: 'Return events after this id (next_after_id of the previous page)', example: '0' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after_id must be a non-negative integer' })
  after_id?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit?: number;

  @ApiPropertyOptional({ enum: ['debug', 'info', 'warn', 'error'], default: 'debug' })
  @IsOptional()
  @IsIn(['debug', 'info', 'warn', 'error'], { message: 'level must be one of debug, info, warn, error' })
  level?: 'debug' | 'info' | 'warn' | 'error';
}

export class SkippedRecordsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'organization_uid must be a UUID' }) organization_uid?: string;

  @ApiPropertyOptional({ example: 'companies' })
  @IsOptional()
  @IsString({ message: 'object_type must be a string' })
  @Length(1, 100, { message: 'object_type must be 1 to 100 characters' })
  object_type?: string;

  @ApiPropertyOptional({ example: 'missing_domain' })
  @IsOptional()
  @IsString({ message: 'rule must be a string' })
  @Length(1, 100, { message: 'rule must be 1 to 100 characters' })
  rule?: string;

  @ApiPropertyOptional({ description: 'Only this run (default: every run)' })
  @IsOptional()
  @IsUUID('all', { message: 'run_id must be a UUID' })
  run_id?: string;

  @ApiPropertyOptional({ default: 5, minimum: 0, maximum: 50, description: 'Examples per group' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'examples must be an integer' })
  @Min(0, { message: 'examples must be between 0 and 50' })
  @Max(50, { message: 'examples must be between 0 and 50' })
  examples?: number;
}
