import { LoggerService } from '@nestjs/common';
import { HubspotPortalClient } from '@hubsync/hubspot';
import { OutputPublisher } from '../output/output-publisher';
import { SchemaCatalog } from '../schema/schema-catalog';
import { FetcherSettings } from '../settings/fetcher-settings';
import { FetchStore } from './fetch-store';

/** One connection of the portal a driver drives: its client (sharing the portal's limiter) and schema. */
export interface ConnectionSession {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  client: HubspotPortalClient;
  schema: SchemaCatalog;
}

/** What every strategy gets: the connection, the lease fence, a stop signal, storage and output. */
export interface FetchContext {
  session: ConnectionSession;
  /** Current lease revision; every checkpoint and job write is fenced with it. */
  fence(): number;
  /** Aborted when the driver stops (hand-over, SIGTERM, lost lease): stop at the next page boundary. */
  signal: AbortSignal;
  settings: FetcherSettings;
  store: FetchStore;
  output: OutputPublisher;
  log: LoggerService;
}

/** A strategy stopped early because the driver is stopping; its checkpoint lets the next driver resume. */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';

  constructor() {
    super('driver stopping');
  }
}

export function throwIfStopped(ctx: FetchContext): void {
  if (ctx.signal.aborted) throw new StoppedError();
}

export function isStopped(error: unknown): boolean {
  return error instanceof StoppedError || (error as Error)?.name === 'AbortError';
}
