import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: boolean;
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  readonly connectionTimeoutMs?: number;
}

/** The only place a Kafka client is created; every producer and consumer of the platform goes through it. */
export function createKafka(options: KafkaConnectionOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
  };
  if (options.ssl) config.ssl = true;
  if (options.sasl) config.sasl = { ...options.sasl } as SASLOptions;
  return new Kafka(config);
}
