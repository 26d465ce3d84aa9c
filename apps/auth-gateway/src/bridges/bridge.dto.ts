import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Body of `POST /connection_bridges` (seed 003). */
export class CreateBridgeDto {
  @IsOptional()
  @IsUUID('all', { message: 'organization_uid must be a UUID' })
  organization_uid?: string;

  @IsString({ message: 'integration_id must be a string' })
  @IsNotEmpty({ message: 'integration_id must be set (supported: hubspot-v2)' })
  @MaxLength(100)
  integration_id!: string;

  @IsOptional()
  @IsString({ message: 'label must be a string' })
  @MaxLength(200, { message: 'label must be at most 200 characters' })
  label?: string;

  @IsString({ message: 'redirect_uri must be a string' })
  @IsNotEmpty({ message: 'redirect_uri must be set' })
  @MaxLength(2000, { message: 'redirect_uri must be at most 2000 characters' })
  redirect_uri!: string;
}
