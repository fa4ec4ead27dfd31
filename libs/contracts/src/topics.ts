/**
 * The one declaration of every topic: name, the contracts it carries, its partition key, partition
 * count and retention. Topic provisioning, the AsyncAPI document, the JSON Schemas and the consumers'
 * parsing all read this file, so a topic exists in exactly one place.
 *
 * Partition keys are the aggregate that must be folded in order: `accountId:symbol` for everything
 * that changes a position, so one position's fills arrive in order on one partition.
 */
import type { Contract, Envelope } from './envelope';
import { DecisionApprovedV1 } from './decisions/decision-approved.v1';
import { OrderAcceptedV1 } from './orders/order-accepted.v1';
import { OrderFilledV1 } from './orders/order-filled.v1';
import {
  OrderCanceledV1,
  OrderExpiredV1,
  OrderRejectedV1,
  OrderReplacedV1,
} from './orders/order-outcomes.v1';
import { OrderSubmittedV1 } from './orders/order-submitted.v1';
import { PositionUpdatedV1 } from './positions/position-updated.v1';
import { PositionRelinkRequestedV1 } from './positions/position-relink-requested.v1';
import { DqFindingV1 } from './data-quality/dq-finding.v1';
import { TradeAlertedV1 } from './trades/trade-alerted.v1';
import { TradeClosedV1 } from './trades/trade-closed.v1';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The platform's services, as they name themselves in the envelope's `producer`. */
export type ServiceName = 'executor' | 'order-monitor' | 'position-monitor' | 'data-quality';

export interface TopicDeclaration {
  /** Kafka topic name. */
  readonly name: string;
  /** What the topic is for, for the AsyncAPI document. */
  readonly description: string;
  /** Every contract (type and version) that may appear on the topic. */
  readonly contracts: readonly Contract[];
  /** How the record key is derived from an event, and what it means. */
  readonly key: { readonly description: string; readonly of: (event: Envelope) => string };
  readonly partitions: number;
  readonly retentionMs: number;
  /** The one service that publishes to the topic; null when it is published from outside the platform. */
  readonly producer: ServiceName | null;
  /** Every service that consumes the topic, each in its own consumer group. */
  readonly consumers: readonly ServiceName[];
}

interface AccountInstrumentPayload {
  accountId: string;
  instrument: { symbol: string };
}
const accountInstrumentKey = {
  description: '`<accountId>:<instrument symbol>`: one position\'s events stay in order on one partition.',
  of: (event: Envelope): string => {
    const p = event.payload as AccountInstrumentPayload;
    return `${p.accountId}:${p.instrument.symbol}`;
  },
};
const accountKey = {
  description: '`<accountId>`: one account\'s decisions are executed in the order they were approved.',
  of: (event: Envelope): string => (event.payload as { accountId: string }).accountId,
};

function orderTopic(
  contract: Contract,
  description: string,
  flow: Pick<TopicDeclaration, 'producer' | 'consumers'>,
): TopicDeclaration {
  return {
    name: contract.type,
    description,
    contracts: [contract],
    key: accountInstrumentKey,
    partitions: 6,
    retentionMs: 30 * DAY_MS,
    ...flow,
  };
}

export const TOPICS = {
  decisionApproved: {
    name: 'decision.approved',
    description: 'Approved trading decisions (NEW_TRADE, CANCEL, AMEND) for the executor.',
    contracts: [DecisionApprovedV1],
    key: accountKey,
    partitions: 6,
    retentionMs: 30 * DAY_MS,
    producer: null,
    consumers: ['executor'],
  },
  orderSubmitted: orderTopic(OrderSubmittedV1, 'Orders the broker accepted.', {
    producer: 'executor',
    consumers: ['order-monitor', 'position-monitor', 'data-quality'],
  }),
  orderAccepted: orderTopic(OrderAcceptedV1, 'Orders the broker acknowledged (routed to the venue).', {
    producer: 'order-monitor',
    consumers: ['position-monitor', 'data-quality'],
  }),
  orderFilled: orderTopic(OrderFilledV1, 'Every execution, partial fills included.', {
    producer: 'order-monitor',
    consumers: ['position-monitor', 'data-quality'],
  }),
  orderCanceled: orderTopic(OrderCanceledV1, 'Orders the broker confirmed canceled.', {
    producer: 'order-monitor',
    consumers: ['position-monitor', 'data-quality'],
  }),
  orderRejected: orderTopic(OrderRejectedV1, 'Orders refused by the broker or denied by risk checks.', {
    producer: 'executor',
    consumers: ['position-monitor', 'data-quality'],
  }),
  orderExpired: orderTopic(OrderExpiredV1, 'Orders that reached the end of their time in force.', {
    producer: 'order-monitor',
    consumers: ['position-monitor', 'data-quality'],
  }),
  orderReplaced: orderTopic(OrderReplacedV1, 'Orders replaced at the broker under a new broker id.', {
    producer: 'order-monitor',
    consumers: [],
  }),
  positionUpdated: {
    name: 'position.updated',
    description: 'Full position state after every change, with the orders and fills that caused it.',
    contracts: [PositionUpdatedV1],
    key: accountInstrumentKey,
    partitions: 6,
    retentionMs: 90 * DAY_MS,
    producer: 'position-monitor',
    consumers: ['data-quality'],
  },
  tradeClosed: {
    name: 'trade.closed',
    description: 'The trade journal: one record per trade when it closes or is cancelled, with realized P&L.',
    contracts: [TradeClosedV1],
    key: accountInstrumentKey,
    partitions: 6,
    retentionMs: 365 * DAY_MS,
    producer: 'order-monitor',
    consumers: [],
  },
  tradeAlerted: {
    name: 'trade.alerted',
    description: 'Conditions on a trade that need a person, such as both exits filling.',
    contracts: [TradeAlertedV1],
    key: {
      description: '`<accountId>:<symbol>`: one instrument\'s alerts in order.',
      of: (event: Envelope): string => {
        const p = event.payload as { accountId: string; symbol: string };
        return `${p.accountId}:${p.symbol}`;
      },
    },
    partitions: 3,
    retentionMs: 90 * DAY_MS,
    producer: 'order-monitor',
    consumers: ['data-quality'],
  },
  positionRelinkRequested: {
    name: 'position.relink-requested',
    description: 'Commands from data-quality to link an unlinked filled order to its one candidate position (auto-fix).',
    contracts: [PositionRelinkRequestedV1],
    key: accountInstrumentKey,
    partitions: 6,
    retentionMs: 30 * DAY_MS,
    producer: 'data-quality',
    consumers: ['position-monitor'],
  },
  dqFinding: {
    name: 'dq.finding',
    description: 'Data-quality findings as they open, change severity and resolve, for other teams.',
    contracts: [DqFindingV1],
    key: {
      description: '`<findingId>`: one finding\'s transitions stay in order.',
      of: (event: Envelope): string => (event.payload as { findingId: string }).findingId,
    },
    partitions: 3,
    retentionMs: 90 * DAY_MS,
    producer: 'data-quality',
    consumers: [],
  },
} as const satisfies Record<string, TopicDeclaration>;

export type TopicKey = keyof typeof TOPICS;
export const ALL_TOPICS: readonly TopicDeclaration[] = Object.values(TOPICS);

/** The dead-letter topic beside each topic: same retention, one partition per source partition. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export function topicByName(name: string): TopicDeclaration | undefined {
  return ALL_TOPICS.find((t) => t.name === name);
}
