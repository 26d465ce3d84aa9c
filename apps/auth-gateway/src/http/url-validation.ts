import { BadRequestException } from '@nestjs/common';

/**
 * An absolute http(s) URL a browser may be sent to after the flow (`return_to`, bridge `redirect_uri`).
 * With `allowedOrigins` (OAUTH_RETURN_TO_ORIGINS) its origin must be one of them: the flow ends with a
 * redirect carrying the new connection id, which must not go to a host the operator never approved.
 */
export function assertRedirectTarget(field: string, value: string, allowedOrigins: readonly string[] = []): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequestException(`${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestException(`${field} must be an absolute http(s) URL`);
  if (url.username || url.password) throw new BadRequestException(`${field} must not contain credentials`);
  if (allowedOrigins.length > 0 && !allowedOrigins.includes(url.origin)) {
    throw new BadRequestException(`${field} origin ${url.origin} is not allowed; allowed origins: ${allowedOrigins.join(', ')}`);
  }
  return url.toString();
}

/** `target` with `params` added to its query string. */
export function withQuery(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** `OAUTH_RETURN_TO_ORIGINS` as normalised origins (`https://app.example.com`), empty when unset. */
export function parseOriginList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => new URL(s).origin);
}
