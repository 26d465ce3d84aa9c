import { Injectable, Logger } from '@nestjs/common';
import { KvLease, NatsRequester } from '@hubsync/messaging';
import { DataSource } from 'typeorm';
import { FetchStore } from '../fetch/fetch-store';
import { JobRunner } from '../jobs/job-runner';
import { JobsRepository } from '../jobs/jobs.repository';
import { FetcherMetrics } from '../metrics/fetcher-metrics';
import { OutputPublisher } from '../output/output-publisher';
import { PortalsRepository } from '../portals/portals.repository';
import { FetcherSettings } from '../settings/fetcher-settings';
import { AssociationSweepStrategy } from '../strategies/associations/association-sweep.strategy';
import { FingerprintsRepository } from '../strategies/associations/fingerprints.repository';
import { BackfillStrategy } from '../strategies/backfill/backfill.strategy';
import { DeleteSweepStrategy } from '../strategies/deletes/delete-sweep.strategy';
import { KnownIdsRepository } from '../strategies/deletes/known-ids.repository';
import { ExanteSyncStrategy } from '../strategies/exante/exante-sync.strategy';
import { RunIdsRepository } from '../strategies/exante/run-ids.repository';
import { IncrementalStrategy } from '../strategies/incremental/incremental.strategy';
import { ReferenceDataStrategy } from '../strategies/reference/reference-data.strategy';
import { ContinuousSweeps } from './continuous-sweeps';
import { PortalDriver } from './portal-driver';

/** Wires the strategies once and builds a PortalDriver per adopted portal. */
@Injectable()
export class DriverFactory {
  private readonly log = new Logger('PortalDriver');
  private readonly runner: JobRunner;
  private readonly sweeps: ContinuousSweeps;

  constructor(
    private readonly db: DataSource,
    private readonly settings: FetcherSettings,
    private readonly jobs: JobsRepository,
    private readonly portals: PortalsRepository,
    private readonly store: FetchStore,
    private readonly output: OutputPublisher,
    private readonly requester: NatsRequester,
    private readonly metrics: FetcherMetrics,
    knownIds: KnownIdsRepository,
    fingerprints: FingerprintsRepository,
    runIds: RunIdsRepository,
  ) {
    fingerprints.setCacheSize(settings.fingerprintCacheSize);
    const backfill = new BackfillStrategy();
    const incremental = new IncrementalStrategy(knownIds);
    const deletes = new DeleteSweepStrategy(knownIds);
    const associations = new AssociationSweepStrategy(fingerprints);
    const reference = new ReferenceDataStrategy();
    const exante = new ExanteSyncStrategy(backfill, runIds);
    this.runner = new JobRunner({ backfill, incremental, deletes, associations, reference, exante, portals, knownIds, jobs, log: this.log });
    this.sweeps = new ContinuousSweeps({ settings, portals, jobs, incremental, deletes, associations, reference, log: this.log });
  }

  create(portalId: string, lease: KvLease): PortalDriver {
    return new PortalDriver(portalId, lease, {
      db: this.db,
      settings: this.settings,
      jobs: this.jobs,
      portals: this.portals,
      store: this.store,
      output: this.output,
      requester: this.requester,
      runner: this.runner,
      sweeps: this.sweeps,
      metrics: this.metrics,
      log: this.log,
    });
  }
}
