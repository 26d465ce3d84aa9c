import { Controller, Get } from '@nestjs/common';
import { SandboxState } from '../state/sandbox-state.service';

/** Liveness/readiness for the harness and k8s (the sandbox has no dependencies to wait for). */
@Controller('health')
export class HealthController {
  constructor(private readonly state: SandboxState) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    return { status: 'ok', portals: this.state.portals.size, rssBytes: process.memoryUsage().rss };
  }
}
