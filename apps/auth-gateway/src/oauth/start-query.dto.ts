import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Query of `GET /api/integrations/hubspot/start`. */
export class StartQueryDto {
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  /** Absolute http(s) URL the browser returns to, with `connection_id` added. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  return_to?: string;

  /** Comma-separated object types to sync; they decide the requested scopes (default: configured list). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  object_types?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  /** Single-use signed token from `POST /connection_bridges` (instead of an API key). */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  bridge?: string;
}
