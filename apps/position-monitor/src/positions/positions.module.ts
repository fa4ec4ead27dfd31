import { Module } from '@nestjs/common';
import { OrderFilledHandler } from './order-filled.handler';
import { PositionsService } from './positions.service';

@Module({ controllers: [OrderFilledHandler], providers: [PositionsService] })
export class PositionsModule {}
