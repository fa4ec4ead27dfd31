import { describe, expect, it } from '@jest/globals';
import { kafkaSecurityEnvNames, kafkaSecurityFromEnv } from './kafka-security';

describe('kafkaSecurityFromEnv', () => {
  it('names the variables under the service prefix', () => {
    expect(kafkaSecurityEnvNames('order-monitor')).toEqual({
      ssl: 'ORDER_MONITOR_KAFKA_SSL',
      mechanism: 'ORDER_MONITOR_KAFKA_SASL_MECHANISM',
      username: 'ORDER_MONITOR_KAFKA_SASL_USERNAME',
      password: 'ORDER_MONITOR_KAFKA_SASL_PASSWORD',
    });
  });

  it('is plaintext without SASL when nothing is set', () => {
    expect(kafkaSecurityFromEnv('executor', {})).toEqual({});
    expect(kafkaSecurityFromEnv('executor', { EXECUTOR_KAFKA_SSL: 'false' })).toEqual({});
  });

  it('turns on TLS and SASL/SCRAM from the prefixed variables', () => {
    expect(
      kafkaSecurityFromEnv('data-quality', {
        DATA_QUALITY_KAFKA_SSL: 'true',
        DATA_QUALITY_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        DATA_QUALITY_KAFKA_SASL_USERNAME: 'dq',
        DATA_QUALITY_KAFKA_SASL_PASSWORD: 's3cret',
      }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'dq', password: 's3cret' } });
  });

  it('lists every problem at once and never echoes the password', () => {
    const read = () =>
      kafkaSecurityFromEnv('executor', {
        EXECUTOR_KAFKA_SSL: 'maybe',
        EXECUTOR_KAFKA_SASL_MECHANISM: 'gssapi',
        EXECUTOR_KAFKA_SASL_PASSWORD: 'hunter2',
      });
    expect(read).toThrow(/EXECUTOR_KAFKA_SSL.*\n.*EXECUTOR_KAFKA_SASL_MECHANISM.*\n.*EXECUTOR_KAFKA_SASL_USERNAME/);
    expect(read).not.toThrow(/hunter2/);
  });

  it('refuses credentials without a mechanism', () => {
    expect(() => kafkaSecurityFromEnv('executor', { EXECUTOR_KAFKA_SASL_USERNAME: 'u' })).toThrow(
      /EXECUTOR_KAFKA_SASL_MECHANISM: required/,
    );
  });
});
