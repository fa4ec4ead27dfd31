import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { type ReadinessCheckReport, ReadinessRegistry } from './readiness.registry';

export interface ReadinessBody {
  readonly status: 'ready' | 'not_ready';
  readonly checks: readonly ReadinessCheckReport[];
}

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** 200 as long as the event loop turns: a hung process fails this by not answering. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every readiness check passes, 503 otherwise; the body lists each check. */
  @Get('ready')
  async ready(): Promise<ReadinessBody> {
    const report = await this.readiness.evaluate();
    if (!report.ok) {
      throw new ServiceUnavailableException({
        status: 'not_ready',
        checks: report.checks,
      } satisfies ReadinessBody);
    }
    return { status: 'ready', checks: report.checks };
  }
}
