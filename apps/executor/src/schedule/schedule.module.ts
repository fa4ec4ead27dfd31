import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module';
import { ScheduledRunService } from './scheduled-run.service';

@Module({
  imports: [DecisionsModule],
  providers: [ScheduledRunService],
})
export class ScheduleModule {}
