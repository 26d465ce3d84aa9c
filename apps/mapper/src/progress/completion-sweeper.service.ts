import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MapperDatabase } from '../database/mapper-database';
import { ObjectRunResultsRepository } from './object-run-results.repository';
import { ProcessedBatchesRepository } from './processed-batches.repository';

export const COMPLETION_OPTIONS = Symbol('COMPLETION_OPTIONS');

export interface CompletionOptions {
  /** How often object runs are settled (ms); 0 disables the timer (tests call `settle()`). */
  intervalMs: number;
  /** Days a processed batch id is remembered. */
  batchRetentionDays: number;
}

/**
 * The second half of the completion protocol (DESIGN §5): a batch marks its object completed when it
 * is the last one and the fetcher had already finished; when the fetcher finishes after the last
 * batch (or publishes none, or fails), this periodic check settles the object run.
 */
@Injectable()
export class CompletionSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CompletionSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private lastPrune = 0;

  constructor(
    private readonly db: MapperDatabase,
    private readonly results: ObjectRunResultsRepository,
    private readonly processed: ProcessedBatchesRepository,
    @Inject(COMPLETION_OPTIONS) private readonly options: CompletionOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  settle(): Promise<{ completed: number; failed: number; reopened: number }> {
    return this.db.transaction((sql) => this.results.settle(sql));
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      try {
        const r = await this.settle();
        if (r.completed || r.failed) this.logger.log(`object runs settled: ${r.completed} completed, ${r.failed} failed`);
        if (Date.now() - this.lastPrune > 3_600_000) {
          this.lastPrune = Date.now();
          await this.db.transaction((sql) => this.processed.prune(sql, this.options.batchRetentionDays));
        }
      } catch (error) {
        this.logger.error(`completion check failed: ${(error as Error).message}`);
      }
    })();
    await this.running;
    this.running = undefined;
  }
}
