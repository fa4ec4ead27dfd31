import { Module, type DynamicModule } from '@nestjs/common';
import { VALUATION_SCHEDULE, ValuationService, type ValuationSchedule } from './valuation.service';

@Module({})
export class ValuationModule {
  static forRoot(positions: DynamicModule, schedule: ValuationSchedule): DynamicModule {
    return {
      module: ValuationModule,
      imports: [positions],
      providers: [{ provide: VALUATION_SCHEDULE, useValue: schedule }, ValuationService],
      exports: [ValuationService],
    };
  }
}

