import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'deal_stages.1' })
  field!: string;
  @ApiProperty({ example: 'deal_stages.1 "closedwonn" is not a deal stage of the connected portal' })
  message!: string;
  @ApiPropertyOptional({ type: [String], example: ['appointmentscheduled', 'closedwon'] })
  allowed?: unknown[];
}

export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({ example: 'Bad Request' })
  error!: string;
  @ApiProperty({ example: 'mode must be one of the following values: full, catalog_only' })
  message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  details?: FieldErrorDto[];
}
