import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiKeyGuard } from '@hubsync/api-keys';
import { ApiRateLimitGuard } from './api-rate-limit.guard';
import { ErrorBodyDto } from './error-body.dto';

export const API_KEY_SECURITY = 'api-key';

/** `x-api-key` required, then the per-key rate limit; documented in OpenAPI. */
export function Authenticated(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(ApiKeyGuard, ApiRateLimitGuard),
    ApiSecurity(API_KEY_SECURITY),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked x-api-key', type: ErrorBodyDto }),
    ApiTooManyRequestsResponse({ description: 'Per-key rate limit exceeded; see Retry-After', type: ErrorBodyDto }),
  );
}
