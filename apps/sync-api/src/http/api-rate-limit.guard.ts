import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Principal, PRINCIPAL_REQUEST_KEY } from '@hubsync/api-keys';
import { SYNC_API_SETTINGS, SyncApiSettings } from './settings';
import { SlidingWindowCounter } from './sliding-window-counter';

const WINDOW_MS = 60_000;

/**
 * Per-key request budget: a sliding window of one minute (one-second buckets), counted in this process. With N replicas
 * behind a load balancer a key can get up to N × the limit; the limit protects each replica and the
 * database from one noisy key, it is not a billing quota.
 */
@Injectable()
export class ApiRateLimitGuard implements CanActivate {
  private readonly hits = new SlidingWindowCounter(WINDOW_MS);
  private lastSweep = Date.now();

  constructor(@Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ [PRINCIPAL_REQUEST_KEY]?: Principal }>();
    const principal = request[PRINCIPAL_REQUEST_KEY];
    if (!principal) return true;
    const now = Date.now();
    if (now - this.lastSweep >= WINDOW_MS) {
      this.lastSweep = now;
      this.hits.sweep(now);
    }
    const limit = this.settings.apiRateLimitPerMinute;
    const used = this.hits.count(principal.apiKeyUid, now);
    const response = context.switchToHttp().getResponse<Response>();
    if (used >= limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(this.hits.msUntilOldestExpires(principal.apiKeyUid, now) / 1000));
      response.setHeader('Retry-After', String(retryAfterSeconds));
      throw new HttpException(
        { message: `Rate limit of ${limit} requests per minute for this API key exceeded; retry after ${retryAfterSeconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.hits.add(principal.apiKeyUid, now);
    response.setHeader('X-RateLimit-Limit', String(limit));
    response.setHeader('X-RateLimit-Remaining', String(limit - used - 1));
    return true;
  }

  /** Keys currently tracked (bounded by the keys active in the last minute). */
  get trackedKeys(): number {
    return this.hits.size;
  }
}
