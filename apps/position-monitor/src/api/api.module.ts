import { type DynamicModule, Module } from '@nestjs/common';
import { API_DATABASE_OPTIONS, ApiDatabase, type ApiDatabaseOptions } from './api-database';
import { PositionsApiController } from './positions-api.controller';
import { PositionsApiRepository } from './positions-api.repository';
import { PositionsApiService } from './positions-api.service';

/** The HTTP API over positions; needs `AuthModule` (global) and a global `Clock`. */
@Module({})
export class ApiModule {
  static forRoot(options: ApiDatabaseOptions): DynamicModule {
    return {
      module: ApiModule,
      controllers: [PositionsApiController],
      providers: [{ provide: API_DATABASE_OPTIONS, useValue: options }, ApiDatabase, PositionsApiService, PositionsApiRepository],
    };
  }
}
