import { Module } from '@nestjs/common';
import { DataQualityMetrics } from './data-quality.metrics';
import { OrderProjectionService } from './order-projection.service';
import { ProjectionHandlers } from './projection.handlers';
import { ProjectionService } from './projection.service';

@Module({ controllers: [ProjectionHandlers], providers: [ProjectionService, OrderProjectionService, DataQualityMetrics] })
export class ProjectionModule {}
