import { Module, type DynamicModule } from '@nestjs/common';
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
      providers: [FillsService, OrderTrackingService, TradeStreamService, OrderMonitorMetrics, { provide: ORDER_POLLING, useValue: polling }],
    };
  }
}
