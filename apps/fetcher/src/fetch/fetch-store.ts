import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckpointKey, CheckpointsRepository } from '../checkpoints/checkpoints.repository';
import { ObjectRunProgress, ObjectRunsRepository } from '../checkpoints/object-runs.repository';
import { Sql } from '../checkpoints/sql';

export interface RunProgressUpdate {
  runId: string;
  objectType: string;
  progress: ObjectRunProgress;
}

/**
 * Checkpoint + object-run progress in one transaction, fenced: called after the batches a page
 * produced were acked by JetStream, never before (issue 5 §7).
 */
@Injectable()
export class FetchStore {
  constructor(
    readonly db: DataSource,
    readonly checkpoints: CheckpointsRepository,
    readonly objectRuns: ObjectRunsRepository,
  ) {}

  load<T>(connectionId: string, streamKey: string): Promise<T | null> {
    return this.checkpoints.load<T>(connectionId, streamKey);
  }

  async commit<T>(key: CheckpointKey, cursor: T, fence: number, run?: RunProgressUpdate, extra?: (tx: Sql) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.checkpoints.save(key, cursor, fence, tx);
      if (run) await this.objectRuns.progress(run.runId, run.objectType, run.progress, fence, tx);
      if (extra) await extra(tx);
    });
  }

  remove(connectionId: string, streamKey: string, fence: number): Promise<void> {
    return this.checkpoints.remove(connectionId, streamKey, fence);
  }
}
