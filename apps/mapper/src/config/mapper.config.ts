import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvBoolean } from '@hubsync/config';
import { MAPPER_DATA_CONSUMER } from '@hubsync/contracts';

export const SERVICE_NAME = 'mapper';

const int = { message: '$property must be an integer' };
const atLeast = (n: number) => ({ message: `$property must be at least ${n}` });

/**
 * mapper configuration, validated at boot (`loadConfig`). Shared names per DESIGN §5; add this
 * app's own variables here (every time constant tests need short belongs here too) and to the
 * README's configuration table.
 */
export class MapperConfig extends BaseServiceConfig {
  override PORT = 3003;

  /** JetStream ack wait of the mapper's consumer; `working()` is sent at half of it while a batch runs. */
  @IsInt(int)
  @Min(1_000, atLeast(1_000))
  MAPPER_ACK_WAIT_MS = MAPPER_DATA_CONSUMER.ackWaitMs;

  /** Batches one mapper handles at once. */
  @IsInt(int)
  @Min(1, atLeast(1))
  @Max(64, { message: '$property must be at most 64' })
  MAPPER_MAX_CONCURRENCY = MAPPER_DATA_CONSUMER.maxConcurrency;

  /** How often object runs are settled (the fetcher finished after the last batch, or failed); 0 disables. */
  @IsInt(int)
  @Min(0, atLeast(0))
  MAPPER_COMPLETION_CHECK_MS = 2_000;

  /** How often remap requests (changed mappings/settings/pipelines) are looked for; 0 disables. */
  @IsInt(int)
  @Min(0, atLeast(0))
  MAPPER_REMAP_POLL_MS = 5_000;

  /** Records re-mapped per transaction. */
  @IsInt(int)
  @Min(1, atLeast(1))
  MAPPER_REMAP_PAGE_SIZE = 500;

  /** Property columns per typed view before an object is split into numbered views (PostgreSQL: 1,600 columns). */
  @IsInt(int)
  @Min(1, atLeast(1))
  @Max(1_500, { message: '$property must be at most 1500' })
  MAPPER_VIEW_MAX_COLUMNS = 1_000;

  /** Days a committed batch id is remembered (redeliveries come within minutes). */
  @IsInt(int)
  @Min(1, atLeast(1))
  MAPPER_BATCH_RETENTION_DAYS = 14;

  /** Longest a single statement of a batch transaction may run before the batch fails and is retried (0 = no limit). */
  @IsInt(int)
  @Min(0, atLeast(0))
  MAPPER_STATEMENT_TIMEOUT_MS = 120_000;

  /**
   * Rows of one object type (or association pair) an organization writes before the mapper first runs
   * ANALYZE on its tables, then again at 4×, 16×… (keeps query plans right during an initial sync; see
   * TableStatisticsService); 0 = never.
   */
  @IsInt(int)
  @Min(0, atLeast(0))
  MAPPER_ANALYZE_FIRST_ROWS = 1_000;

  /** Delete, at the end of an association sweep, rows the sweep did not write (only for producers re-sending every set). */
  @EnvBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  MAPPER_SWEEP_DELETES_UNSEEN = false;
}
