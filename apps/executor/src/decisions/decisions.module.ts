import { Module } from '@nestjs/common';
import { BrokerGateService } from '../broker-gate/broker-gate.service';
import { PreTradeScreeningService } from '../risk/pre-trade-screening.service';
import { AmendmentService } from './amendment.service';
import { CancellationService } from './cancellation.service';
import { DecisionApprovedHandler } from './decision-approved.handler';
import { DecisionIntakeService } from './decision-intake.service';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { OrderSubmissionService } from './order-submission.service';
import { SubmissionRecoveryService } from './submission-recovery.service';

@Module({
  controllers: [DecisionsController, DecisionApprovedHandler],
  providers: [DecisionsService, DecisionIntakeService, OrderSubmissionService, CancellationService, SubmissionRecoveryService, PreTradeScreeningService, AmendmentService, BrokerGateService],
  exports: [OrderSubmissionService, PreTradeScreeningService],
})
export class DecisionsModule {}
