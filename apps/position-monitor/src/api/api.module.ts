import { Module } from '@nestjs/common';
import { PositionsApiController } from './positions-api.controller';
import { PositionsApiRepository } from './positions-api.repository';
import { PositionsApiService } from './positions-api.service';

/** The HTTP API over positions; needs `AuthModule` (global) and a global `Clock`. */
@Module({ controllers: [PositionsApiController], providers: [PositionsApiService, PositionsApiRepository] })
export class ApiModule {}
