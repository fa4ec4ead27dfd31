import { Module, type DynamicModule } from '@nestjs/common';
import { ExitOrdersService, PARKED_FILLS } from '../trades/exit-orders.service';
import { TradesRepository } from '../trades/trades.repository';
import { TradesService } from '../trades/trades.service';
import { FillsService } from './fills.service';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { OrderSubmittedHandler } from './order-submitted.handler';
import { OrderTrackingService } from './order-tracking.service';
import { ORDER_POLLING, TradeStreamService, type OrderPolling } from './trade-stream.service';

@Module({})
export class OrdersModule {
  static forRoot(polling: OrderPolling): DynamicModule {
    return {
      module: OrdersModule,
      controllers: [OrderSubmittedHandler],
      providers: [
        FillsService,
        OrderTrackingService,
        TradeStreamService,
        OrderMonitorMetrics,
        TradesRepository,
        TradesService,
        ExitOrdersService,
        { provide: PARKED_FILLS, useExisting: FillsService },
        { provide: ORDER_POLLING, useValue: polling },
      ],
    };
  }
}
