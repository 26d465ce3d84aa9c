import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HealthRegistry } from './health-registry';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  /** The process is up and its event loop answers; dependencies are not consulted. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 only when every registered dependency check passes and the app is not shutting down. */
  @Get('ready')
  @HealthCheck()
  async ready() {
    const results = await this.registry.runAll();
    const shuttingDown = this.registry.isShuttingDown;
    const indicators = [
      ...results.map((r) => async (): Promise<HealthIndicatorResult> =>
        r.ok ? this.indicators.check(r.name).up(r.details ?? {}) : this.indicators.check(r.name).down({ message: r.error ?? 'not ready' }),
      ),
      async (): Promise<HealthIndicatorResult> =>
        shuttingDown ? this.indicators.check('lifecycle').down({ message: 'shutting down' }) : this.indicators.check('lifecycle').up(),
    ];
    return this.health.check(indicators);
  }
}
