/**
 * Long property lists in list-endpoint URLs make HubSpot answer 414 URI Too Long (Airbyte #3977,
 * #33528; dlt #305). The SDK sends array parameters as repeated query parameters
 * (codegen/crm/objects/apis/BasicApi.ts `appendQueryParam("properties", …)`), so each property costs
 * `&properties=` plus its URL-encoded name. Splits `properties` into as few chunks as keep every URL
 * at or under `maxUrlBytes`, including the fixed part (base, path, limit, after, archived).
 */
export const DEFAULT_MAX_URL_BYTES = 8000;

export function chunkPropertiesForUrl(
  fixedUrl: string,
  properties: readonly string[],
  maxUrlBytes = DEFAULT_MAX_URL_BYTES,
  paramName = 'properties',
): string[][] {
  const unique = [...new Set(properties)];
  const base = Buffer.byteLength(fixedUrl);
  const separatorBytes = 1; // '&' (or the first '?')
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = base;
  for (const name of unique) {
    const cost = separatorBytes + Buffer.byteLength(`${paramName}=${formEncode(name)}`);
    if (base + cost > maxUrlBytes) {
      throw new Error(`property "${name.slice(0, 80)}" alone makes the URL longer than ${maxUrlBytes} bytes`);
    }
    if (length + cost > maxUrlBytes && current.length) {
      chunks.push(current);
      current = [];
      length = base;
    }
    current.push(name);
    length += cost;
  }
  if (current.length || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** Encoding URLSearchParams applies (application/x-www-form-urlencoded), which the SDK's URL uses. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
