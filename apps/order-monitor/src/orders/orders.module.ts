import { Module } from '@nestjs/common';
import { FillsService } from './fills.service';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { OrderSubmittedHandler } from './order-submitted.handler';
import { OrderTrackingService } from './order-tracking.service';
import { TradeStreamService } from './trade-stream.service';

@Module({
  controllers: [OrderSubmittedHandler],
  providers: [FillsService, OrderTrackingService, TradeStreamService, OrderMonitorMetrics],
})
export class OrdersModule {}
