import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Principal, PRINCIPAL_REQUEST_KEY } from '@hubsync/api-keys';
import { SYNC_API_SETTINGS, SyncApiSettings } from './settings';

const WINDOW_MS = 60_000;

/**
 * Per-key request budget: a sliding window of one minute, counted in this process. With N replicas
 * behind a load balancer a key can get up to N × the limit; the limit protects each replica and the
 * database from one noisy key, it is not a billing quota.
 */
@Injectable()
export class ApiRateLimitGuard implements CanActivate {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = Date.now();

  constructor(@Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ [PRINCIPAL_REQUEST_KEY]?: Principal }>();
    const principal = request[PRINCIPAL_REQUEST_KEY];
    if (!principal) return true;
    const now = Date.now();
    this.sweep(now);
    const limit = this.settings.apiRateLimitPerMinute;
    const recent = (this.hits.get(principal.apiKeyUid) ?? []).filter((t) => now - t < WINDOW_MS);
    const response = context.switchToHttp().getResponse<Response>();
    if (recent.length >= limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000));
      response.setHeader('Retry-After', String(retryAfterSeconds));
      this.hits.set(principal.apiKeyUid, recent);
      throw new HttpException(
        { message: `Rate limit of ${limit} requests per minute for this API key exceeded; retry after ${retryAfterSeconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    recent.push(now);
    this.hits.set(principal.apiKeyUid, recent);
    response.setHeader('X-RateLimit-Limit', String(limit));
    response.setHeader('X-RateLimit-Remaining', String(limit - recent.length));
    return true;
  }

  /** Drops idle keys so memory stays bounded by the keys active in the last minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) {
      if (times.length === 0 || now - times[times.length - 1] >= WINDOW_MS) this.hits.delete(key);
    }
  }
}
