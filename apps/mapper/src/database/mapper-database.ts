import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';

/** Runs parameterised SQL and returns the rows (SELECT, or INSERT/UPDATE/DELETE … RETURNING). */
export interface Sql {
  query<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** Called after each statement with its text and duration (ms). */
export type StatementListener = (text: string, durationMs: number) => void;

/**
 * PostgreSQL errors worth retrying the whole batch transaction for: serialization failures and
 * deadlocks between concurrent batches, and a unique violation from a concurrent insert of the same
 * key (e.g. two batches claiming one client domain) — a retry sees the other's row and decides again.
 */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

export const DATABASE_OPTIONS = Symbol('MAPPER_DATABASE_OPTIONS');

export interface DatabaseOptions {
  /**
   * Upper bound for one statement inside a batch transaction (ms, 0 = none). A plan gone wrong (e.g.
   * on tables not analysed yet) then fails the batch, which JetStream redelivers later, instead of
   * holding a consumer slot forever.
   */
  statementTimeoutMs: number;
}

/**
 * The mapper's access to PostgreSQL: one transaction per batch, every statement through `Sql` so a
 * test can count them (issue 6: "the number of SQL statements per batch is a small constant").
 */
@Injectable()
export class MapperDatabase {
  private readonly logger = new Logger(MapperDatabase.name);
  private readonly listeners = new Set<StatementListener>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions = { statementTimeoutMs: 0 },
  ) {}

  /** Observes every statement the mapper sends (tests count them). Returns the unsubscribe function. */
  onStatement(listener: StatementListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async query<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await this.run<T>(runner, text, params);
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` in one transaction, retried from the start on the errors listed in RETRYABLE. */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        const timeout = Math.floor(this.options?.statementTimeoutMs ?? 0);
        if (timeout > 0) await runner.query(`SET LOCAL statement_timeout = ${timeout}`);
        const result = await work({ query: (text, params) => this.run(runner, text, params ?? []) });
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          this.logger.warn(`transaction retried after ${code} (attempt ${attempt})`);
          await new Promise((r) => setTimeout(r, 20 * attempt + Math.floor(Math.random() * 30)));
          continue;
        }
        throw error;
      } finally {
        await runner.release();
      }
    }
  }

  private async run<T>(runner: QueryRunner, text: string, params: unknown[]): Promise<T[]> {
    const started = this.listeners.size ? performance.now() : 0;
    try {
      const result = await runner.query(text, params, true);
      return (result.records ?? []) as T[];
    } finally {
      for (const l of this.listeners) l(text, performance.now() - started);
    }
  }
}
