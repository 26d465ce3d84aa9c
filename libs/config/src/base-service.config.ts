import { IsInt, Max, Min } from 'class-validator';
import { IsLogLevel, IsNatsUrl, IsPostgresUrl, LogLevel } from './env-decorators';

/**
 * Variables every service reads (DESIGN §5). Each app's config class extends this, sets its PORT
 * default and adds its own variables.
 */
export abstract class BaseServiceConfig {
  @IsPostgresUrl()
  DATABASE_URL!: string;

  @IsNatsUrl()
  NATS_URL!: string;

  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be between 1 and 65535' })
  @Max(65535, { message: '$property must be between 1 and 65535' })
  PORT!: number;

  @IsLogLevel()
  LOG_LEVEL: LogLevel = 'info';
}
