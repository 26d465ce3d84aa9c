import { BenchMode, BenchOptions } from './bench-options';
import { ReportMeta } from './results';

export interface BenchContext {
  options: BenchOptions;
  meta: ReportMeta;
  mode: BenchMode;
  /** 0.1 with --quick, else 1. */
  factor: number;
  tempDir: string;
  log(line: string): void;
  /** The repeat count for a scenario: --repeats, else its default for this mode. */
  repeats(defaults: Record<BenchMode, number>): number;
}
