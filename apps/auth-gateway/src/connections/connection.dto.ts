import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';

/** Body of `POST /api/integrations/hubspot/connections` (seed 004: private-app access token). */
export class CreatePrivateAppConnectionDto {
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @IsString({ message: 'access_token must be a string' })
  @MinLength(10, { message: 'access_token must be a HubSpot private-app access token' })
  @MaxLength(2048, { message: 'access_token must be at most 2048 characters' })
  access_token!: string;

  @IsOptional()
  @IsString({ message: 'label must be a string' })
  @IsNotEmpty({ message: 'label must not be empty' })
  @MaxLength(200, { message: 'label must be at most 200 characters' })
  label?: string;

  /** Object types to sync; they decide the required scopes (default: the configured list). */
  @IsOptional()
  @IsArray({ message: 'object_types must be an array of object type names' })
  @ArrayMaxSize(200)
  @IsString({ each: true, message: 'object_types must contain only strings' })
  object_types?: string[];
}

/** Query of the connection list. */
export class ListConnectionsQueryDto {
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'include_disconnected must be true or false' })
  include_disconnected?: boolean;
}
