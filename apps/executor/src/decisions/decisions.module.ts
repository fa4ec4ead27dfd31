import { Module } from '@nestjs/common';
import { DecisionApprovedHandler } from './decision-approved.handler';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { OrderSubmissionService } from './order-submission.service';
import { SubmissionRecoveryService } from './submission-recovery.service';

@Module({
  controllers: [DecisionsController, DecisionApprovedHandler],
  providers: [DecisionsService, OrderSubmissionService, SubmissionRecoveryService],
})
export class DecisionsModule {}
