/**
 * The URI HubSpot signed. HubSpot's v3 validation guide says the URI is the full URL of the request
 * with these percent-encodings decoded before hashing: %3A : , %2F / , %3F ? , %40 @ , %21 ! , %24 $ ,
 * %27 ' , %28 ( , %29 ) , %2A * , %2C , , %3B ; (developers.hubspot.com "Validating requests from
 * HubSpot", signature v3).
 */
const DECODE: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function normaliseSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);
}

/**
 * The URL as HubSpot called it: the configured public URL (behind proxies the service cannot know
 * it) plus the request's query string, else scheme + host + path + query rebuilt from the request.
 */
export function requestUrl(input: { publicUrl?: string; protocol: string; host: string | undefined; originalUrl: string; forwardedProto?: string; forwardedHost?: string }): string {
  const query = input.originalUrl.includes('?') ? input.originalUrl.slice(input.originalUrl.indexOf('?')) : '';
  if (input.publicUrl) return `${input.publicUrl.replace(/\?.*$/, '')}${query}`;
  const proto = (input.forwardedProto ?? input.protocol).split(',')[0].trim();
  const host = (input.forwardedHost ?? input.host ?? 'localhost').split(',')[0].trim();
  return `${proto}://${host}${input.originalUrl}`;
}
