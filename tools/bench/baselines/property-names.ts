import { HubspotPortalClient } from '@hubsync/hubspot';

/** Every property name of an object type, as the fetcher asks for them (its schema catalog reads the same endpoint). */
export async function propertyNames(client: HubspotPortalClient, objectType: string): Promise<string[]> {
  return (await client.properties(objectType)).map((p) => p.name);
}
