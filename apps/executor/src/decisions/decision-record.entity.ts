import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

export type DecisionStatus = 'RECEIVED' | 'EXECUTED' | 'DENIED';

/** A decision as received. `EXECUTED` is set in the transaction that records the submission outcome. */
@Entity({ tableName: 'decisions' })
export class DecisionRecord {
  [PrimaryKeyProp]?: 'decisionId';
  [OptionalProps]?: 'status' | 'outcomeCode' | 'executedAt' | 'sourceEventId';
  @PrimaryKey({ type: 'uuid' }) decisionId!: string;
  @Property({ type: 'text' }) action!: 'NEW_TRADE' | 'CANCEL' | 'AMEND';
  @Property({ type: 'text' }) accountId!: string;
  @Property({ type: 'text' }) ownerId!: string;
  @Property({ type: 'json' }) payload!: unknown;
  @Property({ type: 'text' }) source!: 'KAFKA' | 'HTTP';
  @Property({ type: 'uuid' }) correlationId!: string;
  @Property({ type: 'uuid', nullable: true }) sourceEventId: string | null = null;
  @Property({ type: 'text' }) status: DecisionStatus = 'RECEIVED';
  @Property({ type: 'text', nullable: true }) outcomeCode: string | null = null;
  @Property({ type: 'timestamptz' }) receivedAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) executedAt: Date | null = null;
}
