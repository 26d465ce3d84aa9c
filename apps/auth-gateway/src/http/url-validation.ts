import { BadRequestException } from '@nestjs/common';

/** An absolute http(s) URL a browser may be sent to after the flow (`return_to`, bridge `redirect_uri`). */
export function assertRedirectTarget(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequestException(`${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestException(`${field} must be an absolute http(s) URL`);
  if (url.username || url.password) throw new BadRequestException(`${field} must not contain credentials`);
  return url.toString();
}

/** `target` with `params` added to its query string. */
export function withQuery(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
