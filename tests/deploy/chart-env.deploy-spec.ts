/**
 * The environment the chart gives each service is the one its config schema reads: every variable
 * name exists in the schema (or the messaging library's Kafka security settings), and the app's own
 * zod schema parses the rendered values, secrets stood in by placeholders.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   rendered manifests are untyped YAML; their shapes are what these tests and kubeconform assert. */
import { describe, expect, it } from '@jest/globals';
import { kafkaSecurityEnvNames } from '@tlp/messaging';
import type { z } from 'zod';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the chart is checked against each app's own config schema
import { DataQualityConfigSchema } from '../../apps/data-quality/src/data-quality.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the chart is checked against each app's own config schema
import { ExecutorConfigSchema } from '../../apps/executor/src/executor.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the chart is checked against each app's own config schema
import { OrderMonitorConfigSchema } from '../../apps/order-monitor/src/order-monitor.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the chart is checked against each app's own config schema
import { PositionMonitorConfigSchema } from '../../apps/position-monitor/src/position-monitor.config';
import { CI_VALUES, type K8sObject, ofKind, renderChart } from './chart-render';

const SCHEMAS: Record<string, { service: string; schema: z.ZodObject }> = {
  executor: { service: 'executor', schema: ExecutorConfigSchema },
  'order-monitor': { service: 'order-monitor', schema: OrderMonitorConfigSchema },
  'position-monitor': { service: 'position-monitor', schema: PositionMonitorConfigSchema },
  'data-quality': { service: 'data-quality', schema: DataQualityConfigSchema },
};
const RUNTIME = new Set(['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

/** The container's environment as the pod would see it: ConfigMap entries, then env (secrets as placeholders). */
function environmentOf(deployment: K8sObject, objects: readonly K8sObject[]): Record<string, string> {
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const map = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === source.configMapRef?.name);
    Object.assign(env, map?.data ?? {});
  }
  for (const variable of (container.env ?? []) as EnvVar[]) {
    if (variable.valueFrom?.secretKeyRef) {
      env[variable.name] = variable.name.endsWith('_DATABASE_URL')
        ? 'postgresql://svc:placeholder@postgres.example:5432/svc?sslmode=verify-full'
        : `placeholder-${variable.valueFrom.secretKeyRef.key}`;
    } else if (variable.value !== undefined) {
      env[variable.name] = variable.value;
    }
  }
  return env;
}

describe.each(['(defaults)', ...CI_VALUES])('environment rendered with %s', (values) => {
  const objects = renderChart({ values: values === '(defaults)' ? [] : [values] });
  const deployments = ofKind(objects, 'Deployment');

  it('renders at least the enabled services', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.keys(SCHEMAS))('%s: every variable is one the service reads, and its schema accepts them', (app) => {
    const deployment = deployments.find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === app);
    if (!deployment) return; // disabled in this value set
    const { service, schema } = SCHEMAS[app]!;
    const env = environmentOf(deployment, objects);
    const extra = deployment.spec.template.spec.containers[0].env as EnvVar[];
    const userAdded = new Set(extra.filter((e) => e.name === 'TZ').map((e) => e.name));
    const known = new Set([...Object.keys(schema.shape), ...Object.values(kafkaSecurityEnvNames(service))]);
    const unknown = Object.keys(env).filter((name) => !known.has(name) && !RUNTIME.has(name) && !userAdded.has(name));
    expect(unknown).toEqual([]);
    const parsed = schema.safeParse(env);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });
});

describe('Kafka security in the environment', () => {
  it('sets TLS and the SASL mechanism in config, credentials from the existing Secret only', () => {
    const objects = renderChart({ values: ['ci/all-features-values.yaml'] });
    const deployment = ofKind(objects, 'Deployment').find((d) => d.metadata.name.endsWith('-order-monitor'))!;
    const env = environmentOf(deployment, objects);
    expect(env).toMatchObject({
      ORDER_MONITOR_KAFKA_SSL: 'true',
      ORDER_MONITOR_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      NODE_EXTRA_CA_CERTS: '/etc/tlp/kafka-ca/ca.crt',
    });
    const secretRefs = (deployment.spec.template.spec.containers[0].env as EnvVar[])
      .filter((e) => e.name.startsWith('ORDER_MONITOR_KAFKA_SASL_'))
      .map((e) => [e.name, e.valueFrom?.secretKeyRef]);
    expect(secretRefs).toEqual([
      ['ORDER_MONITOR_KAFKA_SASL_USERNAME', { name: 'trading-kafka-user', key: 'username' }],
      ['ORDER_MONITOR_KAFKA_SASL_PASSWORD', { name: 'trading-kafka-user', key: 'password' }],
    ]);
  });
});
