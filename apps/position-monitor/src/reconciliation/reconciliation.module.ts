import { Module, type DynamicModule } from '@nestjs/common';
import { ReconciliationRepository } from './reconciliation.repository';
import { RECONCILIATION_SETTINGS, ReconciliationService, type ReconciliationSettings } from './reconciliation.service';
import { ReconciliationWriter } from './reconciliation.writer';

@Module({})
export class ReconciliationModule {
  static forRoot(positions: DynamicModule, settings: ReconciliationSettings): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [positions],
      providers: [{ provide: RECONCILIATION_SETTINGS, useValue: settings }, ReconciliationRepository, ReconciliationWriter, ReconciliationService],
      exports: [ReconciliationService],
    };
  }
}
