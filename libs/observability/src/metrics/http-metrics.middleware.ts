import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Counts requests by route pattern (not raw URL, to bound label cardinality) and status. */
export function httpMetricsMiddleware(metrics: MetricsService) {
  const requests = metrics.counter('http_requests_total', 'HTTP requests handled', ['method', 'route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request duration', ['method', 'route']);
  return (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = routeLabel(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
}

/** Nest answers unknown paths from a catch-all route; label those (and route-less ones) "unmatched". */
function routeLabel(req: Request): string {
  const path = req.route?.path as string | undefined;
  if (!path || path === '/{*path}' || path === '*') return 'unmatched';
  return path;
}
