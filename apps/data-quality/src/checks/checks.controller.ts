import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { RequirePermission } from '@tlp/service-runtime';
import { z } from 'zod';
import { CheckReportsRepository } from './check-reports.repository';
import { CheckRunService, type RunSummary } from './check-run.service';

const RunRequest = z.object({ full: z.boolean().default(false) }).strict();

/** On-demand runs (`dq:admin`) and the reports (`dq:read`). */
@Controller()
export class ChecksController {
  constructor(
    private readonly runs: CheckRunService,
    private readonly reports: CheckReportsRepository,
  ) {}

  /** 200 with the run's summary; 409 while another run holds the lock. Body `{"full": true}` adds the broker. */
  @Post('checks/run')
  @HttpCode(200)
  @RequirePermission('dq:admin')
  async runChecks(@Body() body: unknown): Promise<RunSummary> {
    const parsed = RunRequest.safeParse(body ?? {});
    if (!parsed.success) throw new BadRequestException({ error: 'INVALID_REQUEST', message: parsed.error.message });
    const result = await this.runs.run('ON_DEMAND', parsed.data.full);
    if (result.outcome !== 'COMPLETED') throw new ConflictException({ error: 'RUN_IN_PROGRESS', message: 'another check run is under way; retry shortly' });
    return result.summary;
  }

  @Get('runs/:id')
  @RequirePermission('dq:read')
  async run(@Param('id', new ParseUUIDPipe()) id: string): Promise<Record<string, unknown>> {
    const run = await this.reports.run(id);
    if (!run) throw new NotFoundException({ error: 'RUN_NOT_FOUND', message: `no check run ${id}` });
    return run;
  }

  @Get('findings/summary')
  @RequirePermission('dq:read')
  summary(): Promise<Record<string, unknown>> {
    return this.reports.highPrioritySummary();
  }
}
