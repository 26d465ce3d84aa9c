import { Inject, Injectable } from '@nestjs/common';
import { NATS_CONNECTION } from '@hubsync/messaging';
import { KV, NatsConnection } from 'nats';
import { FetcherSettings } from '../settings/fetcher-settings';

const encoder = new TextEncoder();

/**
 * The live fetchers, for fair shares: each puts its id in a KV bucket whose TTL equals the lease
 * TTL, on every adoption sweep; an entry that is not refreshed disappears with its fetcher.
 */
@Injectable()
export class FleetService {
  private kv?: Promise<KV>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly settings: FetcherSettings,
  ) {}

  async heartbeat(drivenPortals: number): Promise<void> {
    const kv = await this.bucket();
    await kv.put(this.settings.fetcherId, encoder.encode(JSON.stringify({ at: new Date().toISOString(), portals: drivenPortals })));
  }

  async members(): Promise<string[]> {
    const kv = await this.bucket();
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    return keys;
  }

  async leave(): Promise<void> {
    const kv = await this.bucket();
    await kv.delete(this.settings.fetcherId).catch(() => undefined);
  }

  private bucket(): Promise<KV> {
    this.kv ??= this.nc
      .jetstream()
      .views.kv(this.settings.fleetBucket, { ttl: this.settings.leaseTtlMs, history: 1 })
      .catch((error) => {
        this.kv = undefined;
        throw error;
      });
    return this.kv;
  }
}

/** Portals per fetcher when `portals` need drivers and `fetchers` are alive (ceil, ≥ 1, ≤ the max). */
export function fairShare(portals: number, fetchers: number, maxPortals: number): number {
  return Math.max(1, Math.min(maxPortals, Math.ceil(portals / Math.max(1, fetchers))));
}
