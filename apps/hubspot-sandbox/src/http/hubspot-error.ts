import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error body: `{ status: "error", message, correlationId, category, subCategory?,
 * context?, errors?, links? }` — SDK lib/codegen/crm/objects/models/ModelError.d.ts and
 * HubSpot docs "API error responses". Always sent as application/json: the SDK cannot parse
 * anything else (ObjectSerializer.parse throws without a JSON content type).
 */
export class HubSpotError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { status: 'error', message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

export const validationError = (message: string, extra: Record<string, unknown> = {}) =>
  new HubSpotError(400, 'VALIDATION_ERROR', message, extra);

export const objectNotFound = (message = 'resource not found') => new HubSpotError(404, 'OBJECT_NOT_FOUND', message);

/** Unknown object type in the URL: HubSpot answers 400 "Unable to infer object type from: x". */
export const unknownObjectType = (type: string) =>
  new HubSpotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);

/** 401 for a missing or unknown token (HubSpot docs "Authentication"; category INVALID_AUTHENTICATION). */
export const invalidAuthentication = () =>
  new HubSpotError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );

/** 401 for an expired OAuth access token (category EXPIRED_AUTHENTICATION). */
export const expiredAuthentication = (expiredAgoMs: number) =>
  new HubSpotError(
    401,
    'EXPIRED_AUTHENTICATION',
    `The OAuth token used to make this call expired ${Math.max(0, Math.floor(expiredAgoMs / 3_600_000))} hour(s) ago.`,
  );

/**
 * 403 MISSING_SCOPES naming the scopes (HubSpot "Scopes" doc; observed body carries
 * `errors[].context.requiredGranularScopes`).
 */
export const missingScopes = (scopes: string[]) =>
  new HubSpotError(
    403,
    'MISSING_SCOPES',
    `This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes. Missing scopes: ${scopes.join(', ')}`,
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
