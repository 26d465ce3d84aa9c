export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export interface ObservabilityOptions {
  /** Appears as `service` in every log line and metric. */
  serviceName: string;
  /** pino level; the apps pass their LOG_LEVEL. */
  logLevel?: string;
}
