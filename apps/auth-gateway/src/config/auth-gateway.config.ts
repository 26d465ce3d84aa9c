import { IsInt, IsNotEmpty, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { BaseServiceConfig, IsBase64Key, IsHttpUrl } from '@hubsync/config';
import { IsBase64KeyList, IsObjectTypeList, IsOriginList } from '../settings/settings-validators';

export const SERVICE_NAME = 'auth-gateway';

/**
 * auth-gateway configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class AuthGatewayConfig extends BaseServiceConfig {
  override PORT = 3001;

  /** OAuth authorize host (the sandbox in dev/tests). HubSpot: https://app.hubspot.com */
  @IsHttpUrl()
  HUBSPOT_AUTH_BASE_URL = 'https://app.hubspot.com';

  /** Token endpoint host (/oauth/v1/token). HubSpot: https://api.hubapi.com */
  @IsHttpUrl()
  HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

  @IsNotEmpty({ message: "$property must be set (the HubSpot app's client id)" })
  HUBSPOT_CLIENT_ID!: string;

  @IsNotEmpty({ message: "$property must be set (the HubSpot app's client secret)" })
  HUBSPOT_CLIENT_SECRET!: string;

  /** Must match a redirect URL registered on the app: https://<host>/api/integrations/hubspot/callback */
  @IsHttpUrl()
  HUBSPOT_REDIRECT_URI!: string;

  /** AES-256 key for tokens at rest: 32 bytes, base64 (`openssl rand -base64 32`). */
  @IsBase64Key(32)
  TOKEN_ENCRYPTION_KEY!: string;

  // ── connections (issue 4) ──────────────────────────────────────────────────────────────────────
  /** Previous TOKEN_ENCRYPTION_KEY values (comma-separated) still accepted for decryption while rows rotate. */
  @IsOptional()
  @IsBase64KeyList(32)
  TOKEN_ENCRYPTION_KEYS_OLD?: string;

  /** HMAC secret of OAuth states and bridge links; derived from TOKEN_ENCRYPTION_KEY when unset. */
  @IsOptional()
  @MinLength(32, { message: '$property must be at least 32 characters' })
  OAUTH_STATE_SECRET?: string;

  /** Public origin browsers reach this service at (bridge links); default: HUBSPOT_REDIRECT_URI's origin. */
  @IsOptional()
  @IsHttpUrl()
  AUTH_GATEWAY_PUBLIC_URL?: string;

  /**
   * Origins `return_to` and bridge `redirect_uri` may point at (comma-separated, e.g.
   * `https://app.example.com`). Unset: any http(s) URL is accepted and a warning is logged at boot.
   */
  @IsOptional()
  @IsOriginList()
  OAUTH_RETURN_TO_ORIGINS?: string;

  /** Lifetime of an OAuth `state` (issue 4: 10 minutes). */
  @IsInt({ message: '$property must be an integer' })
  @Min(10, { message: '$property must be at least 10' })
  OAUTH_STATE_TTL_SECONDS = 600;

  /** Lifetime of a connection bridge link. */
  @IsInt({ message: '$property must be an integer' })
  @Min(10, { message: '$property must be at least 10' })
  BRIDGE_TTL_SECONDS = 3_600;

  /** Refresh an access token this long before it expires (capped at half the token's lifetime). */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be at least 0' })
  TOKEN_REFRESH_MARGIN_SECONDS = 300;

  /** Attempts at HubSpot's token endpoint on 429/5xx/network errors before giving up. */
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be between 1 and 10' })
  @Max(10, { message: '$property must be between 1 and 10' })
  TOKEN_ENDPOINT_MAX_ATTEMPTS = 4;

  /** First backoff delay of those retries (doubles each attempt, with jitter). */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be at least 0' })
  TOKEN_ENDPOINT_BACKOFF_MS = 500;

  /** Longest single backoff delay of those retries (a Retry-After from HubSpot is honoured up to it). */
  @IsInt({ message: '$property must be an integer' })
  @Min(0, { message: '$property must be at least 0' })
  TOKEN_ENDPOINT_MAX_BACKOFF_MS = 8_000;

  /** Timeout of one call to HubSpot's OAuth endpoints. */
  @IsInt({ message: '$property must be an integer' })
  @Min(100, { message: '$property must be at least 100' })
  HUBSPOT_HTTP_TIMEOUT_MS = 10_000;

  /** How long a token request waits for another replica's refresh of the same connection. */
  @IsInt({ message: '$property must be an integer' })
  @Min(100, { message: '$property must be at least 100' })
  TOKEN_REFRESH_LOCK_TIMEOUT_MS = 60_000;

  /** Object types synced when a connect request names none; they decide the required scopes. */
  @IsObjectTypeList()
  HUBSPOT_SYNC_OBJECT_TYPES = 'contacts,companies,deals,tickets,calls,emails,meetings,notes,tasks';

  /** NATS queue group of the auth.* request handlers (replicas share the work). */
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(100, { message: '$property must be at most 100 characters' })
  AUTH_RPC_QUEUE = 'auth-gateway';
}
