import { Module } from '@nestjs/common';
import { DataQualityMetrics } from './data-quality.metrics';
import { ProjectionHandlers } from './projection.handlers';
import { ProjectionService } from './projection.service';

@Module({ controllers: [ProjectionHandlers], providers: [ProjectionService, DataQualityMetrics] })
export class ProjectionModule {}
