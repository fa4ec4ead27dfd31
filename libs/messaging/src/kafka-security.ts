import { envBoolean } from '@tlp/service-runtime';
import { z } from 'zod';
import type { KafkaConnectionOptions } from './kafka-connection';

/**
 * Kafka TLS and SASL settings, read under the service's env prefix so every service gets them
 * without its own config schema listing them: `order-monitor` reads `ORDER_MONITOR_KAFKA_SSL`,
 * `ORDER_MONITOR_KAFKA_SASL_MECHANISM`, `ORDER_MONITOR_KAFKA_SASL_USERNAME` and
 * `ORDER_MONITOR_KAFKA_SASL_PASSWORD`. A custom CA comes through Node's `NODE_EXTRA_CA_CERTS`.
 */
export function kafkaSecurityEnvNames(service: string) {
  const prefix = service.toUpperCase().replace(/-/g, '_');
  return {
    ssl: `${prefix}_KAFKA_SSL`,
    mechanism: `${prefix}_KAFKA_SASL_MECHANISM`,
    username: `${prefix}_KAFKA_SASL_USERNAME`,
    password: `${prefix}_KAFKA_SASL_PASSWORD`,
  } as const;
}

const Mechanism = z.enum(['plain', 'scram-sha-256', 'scram-sha-512']);

/** Parses the settings; throws listing every problem (never echoing a value: the password is one). */
export function kafkaSecurityFromEnv(
  service: string,
  env: Readonly<Record<string, string | undefined>>,
): Pick<KafkaConnectionOptions, 'ssl' | 'sasl'> {
  const names = kafkaSecurityEnvNames(service);
  const problems: string[] = [];
  const ssl = envBoolean(false).safeParse(env[names.ssl]);
  if (!ssl.success) problems.push(`${names.ssl}: expected true or false`);
  const mechanism = env[names.mechanism]?.trim() ?? '';
  const username = env[names.username] ?? '';
  const password = env[names.password] ?? '';
  let sasl: KafkaConnectionOptions['sasl'];
  if (mechanism !== '') {
    const parsed = Mechanism.safeParse(mechanism.toLowerCase());
    if (!parsed.success) problems.push(`${names.mechanism}: expected plain, scram-sha-256 or scram-sha-512`);
    if (username === '') problems.push(`${names.username}: required with ${names.mechanism}`);
    if (password === '') problems.push(`${names.password}: required with ${names.mechanism}`);
    if (parsed.success) sasl = { mechanism: parsed.data, username, password };
  } else if (username !== '' || password !== '') {
    problems.push(`${names.mechanism}: required with a SASL user name or password`);
  }
  if (problems.length > 0) throw new Error(`invalid Kafka security settings:\n  ${problems.join('\n  ')}`);
  return { ...(ssl.data === true && { ssl: true }), ...(sasl && { sasl }) };
}
