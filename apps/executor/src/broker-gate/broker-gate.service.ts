import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BROKER, BROKER_HEALTH, type BrokerHealth, type BrokerPort, type TradeUpdateSubscription } from '@tlp/broker';
import { checkSubmissionGate, type GateState } from './submission-gate';

/**
 * Holds new submissions while the broker is unhealthy. The executor listens to the trade-updates
 * stream only to know it is up (the order monitor applies the updates); the adapter's circuit
 * breaker says whether the REST API is.
 */
@Injectable()
export class BrokerGateService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BrokerGateService.name);
  private subscription: TradeUpdateSubscription | null = null;

  constructor(
    @Inject(BROKER) private readonly broker: BrokerPort,
    @Inject(BROKER_HEALTH) private readonly health: BrokerHealth,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.broker.streamTradeUpdates({
      onUpdate: () => undefined,
      onStateChange: (state) => this.logger.log(`broker trade stream ${state.toLowerCase()}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  state(): GateState {
    return checkSubmissionGate(this.health.isHealthy(), this.subscription?.isHealthy() ?? false);
  }
}
