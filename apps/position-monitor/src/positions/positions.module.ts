import { Module, type DynamicModule } from '@nestjs/common';
import { LifecycleRepository } from '../lifecycle/lifecycle.repository';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { OrderEventsHandler } from '../lifecycle/order-events.handler';
import { OrderLifecycleService } from '../lifecycle/order-lifecycle.service';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import { RelinkRequestedHandler } from '../relink/relink-requested.handler';
import { RelinkService } from '../relink/relink.service';
import { OrderFilledHandler } from './order-filled.handler';
import type { PositionModeSettings } from './position-mode';
import { PositionsRepository } from './positions.repository';
import { POSITION_MODES, PositionsService } from './positions.service';

/** Fills, order events, lifecycles and relinks; exports what valuation, reconciliation and relinks build on. */
@Module({})
export class PositionsModule {
  static forRoot(modes: PositionModeSettings): DynamicModule {
    return {
      module: PositionsModule,
      controllers: [OrderFilledHandler, OrderEventsHandler, RelinkRequestedHandler],
      providers: [
        { provide: POSITION_MODES, useValue: modes },
        PositionMonitorMetrics,
        PositionsRepository,
        PositionsService,
        LifecycleRepository,
        LifecycleService,
        OrderLifecycleService,
        RelinkService,
      ],
      exports: [POSITION_MODES, PositionMonitorMetrics, PositionsRepository, PositionsService, LifecycleService],
    };
  }
}
