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
  /** With --profile: NODE_OPTIONS for the services and the sandbox of this scenario (else empty). */
  profileEnv(scenario: string): Record<string, string>;
  /** The repeat count for a scenario: --repeats, else its default for this mode. */
  repeats(defaults: Record<BenchMode, number>): number;
}
