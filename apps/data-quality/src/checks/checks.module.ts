import { Module } from '@nestjs/common';
import { CheckMetrics } from './check.metrics';
import { CheckReportsRepository } from './check-reports.repository';
import { CheckRunService } from './check-run.service';
import { CheckScheduler } from './check-scheduler.service';
import { ChecksController } from './checks.controller';

@Module({
  controllers: [ChecksController],
  providers: [CheckMetrics, CheckRunService, CheckReportsRepository, CheckScheduler],
})
export class ChecksModule {}
