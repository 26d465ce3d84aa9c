import { HubspotRecordV1 } from '@hubsync/contracts';
import { createPortalClient, HubspotPortalClient } from '@hubsync/hubspot';
import { BaselineConfig } from './baseline-types';
import { propertyNames } from './property-names';
import { staticToken } from './static-token';

export interface WalkCounts {
  records: number;
  requests: number;
  pages: number;
}

/**
 * The fetcher's unfiltered backfill path without the publishing: the same client (libs/hubspot:
 * limiter, retry policy, property chunking), id-ordered list pages of 100 with every property, and
 * `fetchConcurrency` object types walked at once, each page after the previous one.
 * The limiter runs with share 1 and learns the sandbox's advertised limits from the headers, as the
 * fetcher's does.
 */
export function benchClient(config: BaselineConfig, onAttempt?: () => void): HubspotPortalClient {
  return createPortalClient({
    basePath: config.sandboxUrl,
    tokens: staticToken(config.token),
    appType: 'private',
    tier: 'professional',
    share: 1,
    onAttempt,
  });
}

export async function walkAll(config: BaselineConfig, onPage: (objectType: string, records: HubspotRecordV1[]) => void | Promise<void>): Promise<WalkCounts> {
  const counts: WalkCounts = { records: 0, requests: 0, pages: 0 };
  const client = benchClient(config, () => counts.requests++);
  const queue = [...config.objectTypes];
  const worker = async () => {
    for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
      const properties = await propertyNames(client, type);
      let after: string | undefined;
      do {
        const page = await client.listPage(type, { after, limit: 100, properties });
        counts.pages++;
        counts.records += page.results.length;
        await onPage(type, page.results);
        after = page.nextAfter;
      } while (after);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.fetchConcurrency) }, worker));
  return counts;
}
