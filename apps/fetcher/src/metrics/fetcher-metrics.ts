import { Injectable } from '@nestjs/common';
import { LimiterStats } from '@hubsync/hubspot';
import { MetricsService } from '@hubsync/observability';

/** Prometheus metrics of the fetcher (GET /metrics). Portal ids are labels; tokens never are. */
@Injectable()
export class FetcherMetrics {
  private readonly requests;
  private readonly jobs;
  private readonly windowUsed;
  private readonly windowCapacity;
  private readonly dailyUsed;
  private readonly drivers;

  constructor(metrics: MetricsService) {
    this.requests = metrics.counter('fetcher_hubspot_requests_total', 'HubSpot request attempts by portal, bucket and outcome', ['portal', 'bucket', 'status']);
    this.jobs = metrics.counter('fetcher_jobs_total', 'Jobs finished by kind and outcome', ['kind', 'outcome']);
    this.windowUsed = metrics.gauge('fetcher_rate_window_used', 'Requests in the current rolling burst window', ['portal']);
    this.windowCapacity = metrics.gauge('fetcher_rate_window_capacity', 'Requests allowed per burst window (share × limit)', ['portal']);
    this.dailyUsed = metrics.gauge('fetcher_rate_daily_used', 'Requests counted against the daily budget', ['portal']);
    this.drivers = metrics.gauge('fetcher_portals_driven', 'Portals this fetcher drives');
  }

  attempt(portal: string, bucket: string, status: number | undefined, kind: string | undefined): void {
    this.requests.inc({ portal, bucket, status: status ? String(status) : kind ?? 'network' });
  }

  job(kind: string, outcome: 'done' | 'failed'): void {
    this.jobs.inc({ kind, outcome });
  }

  usage(portal: string, stats: LimiterStats): void {
    this.windowUsed.set({ portal }, stats.burstUsed);
    this.windowCapacity.set({ portal }, stats.burstCapacity);
    this.dailyUsed.set({ portal }, stats.dailyUsed);
  }

  driven(count: number): void {
    this.drivers.set(count);
  }
}
