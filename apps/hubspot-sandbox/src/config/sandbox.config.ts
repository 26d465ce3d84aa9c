import { EnvBoolean, IsLogLevel, LogLevel } from '@hubsync/config';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/**
 * Sandbox environment. Realism knobs default to off (limits on: they are HubSpot behaviour);
 * every one can also be changed at run time through the admin API.
 */
export class SandboxConfig {
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be between 0 and 65535' })
  @Max(65535, { message: '$property must be between 0 and 65535' })
  PORT = 8090;

  @IsString()
  HOST = '127.0.0.1';

  @IsLogLevel()
  LOG_LEVEL: LogLevel = 'info';

  /** Secret for `/__admin/*`; without it the admin API refuses every request. */
  @IsOptional()
  @IsString()
  @MinLength(8, { message: '$property must be at least 8 characters' })
  SANDBOX_ADMIN_TOKEN?: string;

  /** OAuth `/oauth/authorize` redirects immediately instead of showing the consent page. */
  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  SANDBOX_OAUTH_AUTO_APPROVE = false;

  @IsInt({ message: '$property must be an integer number of seconds' })
  @Min(1)
  SANDBOX_TOKEN_LIFETIME_SECONDS = 1800;

  @IsInt({ message: '$property must be an integer number of seconds' })
  @Min(1)
  SANDBOX_AUTH_CODE_LIFETIME_SECONDS = 60;

  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  SANDBOX_LIMITS = true;

  @IsNumber({}, { message: '$property must be a number of seconds' })
  @Min(0)
  SANDBOX_SEARCH_LAG_SECONDS = 0;

  @IsNumber({}, { message: '$property must be a number of milliseconds' })
  @Min(0)
  SANDBOX_LATENCY_MEDIAN_MS = 0;

  @IsNumber({}, { message: '$property must be a number of milliseconds' })
  @Min(0)
  SANDBOX_LATENCY_P99_MS = 0;

  /** Probability (0–1) of an injected 500/502/503/504, spread evenly over the four. */
  @IsNumber({}, { message: '$property must be a probability between 0 and 1' })
  @Min(0)
  @Max(1)
  SANDBOX_ERROR_RATE = 0;

  @IsNumber({}, { message: '$property must be a probability between 0 and 1' })
  @Min(0)
  @Max(1)
  SANDBOX_RESET_RATE = 0;

  @IsNumber({}, { message: '$property must be a probability between 0 and 1' })
  @Min(0)
  @Max(1)
  SANDBOX_TYPE_GLITCH_RATE = 0;

  /** Seed for the realism knobs' randomness (faults, lag, latency), so runs can be replayed. */
  @IsInt()
  SANDBOX_RANDOM_SEED = 1;

  /**
   * Optional demo data at boot: `portalId:seed:size` (e.g. `12345678:42:5000`), a seeded portal
   * with about `size` objects spread over the standard types.
   */
  @IsOptional()
  @IsString()
  SANDBOX_DEMO_PORTAL?: string;

  @IsIn(['json', 'html'])
  SANDBOX_GATEWAY_ERROR_FORMAT: 'json' | 'html' = 'json';
}
