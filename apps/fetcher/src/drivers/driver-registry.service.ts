import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KvLeaseManager } from '@hubsync/messaging';
import { FetcherMetrics } from '../metrics/fetcher-metrics';
import { PortalsRepository } from '../portals/portals.repository';
import { FetcherSettings } from '../settings/fetcher-settings';
import { DriverFactory } from './driver.factory';
import { fairShare, FleetService, handOverCount } from './fleet.service';
import { PortalDriver } from './portal-driver';

export const leaseKeyOf = (portalId: string) => `portal.${portalId}`;

/**
 * The portals this fetcher drives (DESIGN §5 "Portal drivers"): adopts a portal when a notice
 * arrives or the periodic adoption sweep finds queued work / continuous streams without a live
 * lease; stays at or below its fair share (portals needing drivers ÷ live fetchers, at most
 * FETCHER_MAX_PORTALS) and hands the excess over gracefully when another fetcher joins; stops every
 * driver and releases the leases on shutdown.
 */
@Injectable()
export class DriverRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(DriverRegistry.name);
  private readonly drivers = new Map<string, PortalDriver>();
  private readonly adopting = new Set<string>();
  private readonly cooldownUntil = new Map<string, number>();
  private share: number;
  private timer?: NodeJS.Timeout;
  private sweeping: Promise<void> | null = null;
  private shuttingDown = false;

  constructor(
    private readonly leases: KvLeaseManager,
    private readonly fleet: FleetService,
    private readonly portals: PortalsRepository,
    private readonly factory: DriverFactory,
    private readonly settings: FetcherSettings,
    private readonly metrics: FetcherMetrics,
  ) {
    this.share = settings.maxPortals;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.settings.adoptionSweepIntervalMs);
    void this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
    // SIGTERM: checkpoints stand; leases go at once so another fetcher adopts without waiting a TTL.
    await Promise.all([...this.drivers.values()].map((d) => d.stop('shutdown')));
    await this.fleet.leave().catch(() => undefined);
  }

  driven(): string[] {
    return [...this.drivers.keys()];
  }

  /**
   * A "portal has work" notice: wake the driver if it is ours, else try to adopt the portal. Never
   * fails because the portal is driven elsewhere or we are full — the notice is acked and the job
   * waits in `sync.jobs` (its driver re-reads the table; the adoption sweep finds it otherwise).
   */
  async onNotice(portalId: string): Promise<void> {
    const driver = this.drivers.get(portalId);
    if (driver) {
      driver.wake();
      return;
    }
    await this.tryAdopt(portalId);
  }

  /** One adoption / rebalancing round (also run periodically). */
  sweep(): Promise<void> {
    if (this.shuttingDown) return Promise.resolve();
    this.sweeping ??= this.sweepOnce()
      .catch((error) => this.log.warn(`adoption sweep failed: ${(error as Error).message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    await this.fleet.heartbeat(this.drivers.size);
    const [members, needing] = await Promise.all([this.fleet.members(), this.portals.needingDrivers()]);
    this.share = fairShare(needing.length, members.length, this.settings.maxPortals);
    this.metrics.driven(this.drivers.size);

    // Portals without queued jobs or continuous streams need no driver: let them go.
    const needed = new Set(needing.map((p) => p.portalId));
    for (const driver of [...this.drivers.values()]) {
      if (!needed.has(driver.portalId) && !driver.isBusyWithJob) await driver.stop('no work left');
    }

    // Above the fair share (a fetcher joined): hand portals over, idle ones first, as many as others can take.
    const others = members.filter((m) => m.id !== this.settings.fetcherId);
    const excess = handOverCount(this.drivers.size, this.share, others);
    if (excess > 0) {
      const candidates = [...this.drivers.values()].sort((a, b) => Number(a.isBusyWithJob) - Number(b.isBusyWithJob)).slice(0, excess);
      for (const driver of candidates) {
        this.cooldownUntil.set(driver.portalId, Date.now() + this.settings.handoverCooldownMs);
        this.log.log(`handing portal ${driver.portalId} over (fair share ${this.share} of ${needing.length} portals, ${members.length} fetchers)`);
        await driver.stop('hand-over');
      }
    }
    for (const portal of needing) {
      if (this.shuttingDown || this.drivers.size >= this.share) break;
      if (this.drivers.has(portal.portalId)) continue;
      await this.tryAdopt(portal.portalId);
    }
  }

  private async tryAdopt(portalId: string): Promise<boolean> {
    if (this.shuttingDown || this.drivers.has(portalId) || this.adopting.has(portalId)) return false;
    if (this.drivers.size + this.adopting.size >= Math.min(this.share, this.settings.maxPortals)) return false;
    if ((this.cooldownUntil.get(portalId) ?? 0) > Date.now()) return false;
    this.adopting.add(portalId);
    try {
      const lease = await this.leases.acquire(leaseKeyOf(portalId));
      if (!lease) return false; // driven elsewhere
      const driver = this.factory.create(portalId, lease);
      this.drivers.set(portalId, driver);
      void driver.ended.then(() => {
        if (this.drivers.get(portalId) === driver) this.drivers.delete(portalId);
        this.metrics.driven(this.drivers.size);
      });
      try {
        await driver.start();
      } catch (error) {
        this.log.warn(`starting the driver of portal ${portalId} failed: ${(error as Error).message}`);
        await driver.stop('start failed');
        return false;
      }
      this.metrics.driven(this.drivers.size);
      return true;
    } finally {
      this.adopting.delete(portalId);
    }
  }
}
