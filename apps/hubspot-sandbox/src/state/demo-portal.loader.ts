import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SandboxConfig } from '../config/sandbox.config';
import { GeneratorService } from '../generator/generator.service';
import { SandboxState } from './sandbox-state.service';

/** SANDBOX_DEMO_PORTAL=`portalId:seed:size` seeds a demo portal at boot (local stack, demo). */
@Injectable()
export class DemoPortalLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoPortalLoader');

  constructor(private readonly config: SandboxConfig, private readonly state: SandboxState, private readonly generator: GeneratorService) {}

  onApplicationBootstrap(): void {
    const spec = this.config.SANDBOX_DEMO_PORTAL;
    if (!spec) return;
    const m = /^(\d+):(-?\d+):(\d+)$/.exec(spec.trim());
    if (!m) throw new Error('Invalid configuration: SANDBOX_DEMO_PORTAL must be portalId:seed:size, e.g. 12345678:42:5000');
    const portal = this.state.createPortal({ portalId: Number(m[1]) });
    const result = this.generator.seed(portal, { seed: Number(m[2]), total: Number(m[3]), customObjects: [{ name: 'subscription', count: Math.max(10, Math.round(Number(m[3]) / 50)) }] });
    this.logger.warn(`demo portal ${portal.portalId} seeded with ${Object.values(result.counts).reduce((a, b) => a + b, 0)} records in ${result.millis} ms`);
  }
}
