import { Inject, Injectable } from '@nestjs/common';
import { NATS_CONNECTION } from '@hubsync/messaging';
import { KV, NatsConnection } from 'nats';
import { FetcherSettings } from '../settings/fetcher-settings';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface FleetMember {
  id: string;
  portals: number;
}

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

  /** Live fetchers and how many portals each drove at its last heartbeat. */
  async members(): Promise<FleetMember[]> {
    const kv = await this.bucket();
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    const members: FleetMember[] = [];
    for (const id of keys) {
      const entry = await kv.get(id);
      if (!entry || entry.operation !== 'PUT') continue;
      let portals = 0;
      try {
        portals = Number(JSON.parse(decoder.decode(entry.value)).portals) || 0;
      } catch {
        // an unreadable heartbeat still counts as a live member
      }
      members.push({ id, portals });
    }
    return members;
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

/**
 * How many portals to hand over: the excess over the fair share, but only as many as the other
 * fetchers have room for (no ping-pong when everyone is at its share).
 */
export function handOverCount(mine: number, share: number, others: FleetMember[]): number {
  const excess = mine - share;
  if (excess <= 0) return 0;
  const room = others.reduce((n, m) => n + Math.max(0, share - m.portals), 0);
  return Math.min(excess, room);
}

/** Portals per fetcher when `portals` need drivers and `fetchers` are alive (ceil, ≥ 1, ≤ the max). */
export function fairShare(portals: number, fetchers: number, maxPortals: number): number {
  return Math.max(1, Math.min(maxPortals, Math.ceil(portals / Math.max(1, fetchers))));
}
