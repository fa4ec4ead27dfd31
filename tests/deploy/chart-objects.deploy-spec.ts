/**
 * What every rendered object must be, whatever the value set: restricted pods, probes on the health
 * endpoints, no token, secrets only by reference, hooks for migrations, budgets only with replicas to
 * spare, topics kept on uninstall, monitoring objects only when asked for and served.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   rendered manifests are untyped YAML; their shapes are what these tests and kubeconform assert. */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, CI_VALUES, type K8sObject, ofKind, renderChart, withChartCopy } from './chart-render';

const VALUE_SETS = ['(defaults)', ...CI_VALUES];
const render = (values: string) => renderChart({ values: values === '(defaults)' ? [] : [values] });
const podSpecOf = (o: K8sObject) => (o.kind === 'Pod' ? o.spec : o.spec.template.spec);

describe.each(VALUE_SETS)('objects rendered with %s', (values) => {
  const objects = render(values);
  const workloads = objects.filter((o) => ['Deployment', 'Job', 'Pod'].includes(o.kind));

  it('never renders a Secret: credentials are references to existing ones', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  it('runs every pod at the restricted level with a writable /tmp only', () => {
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      const pod = podSpecOf(workload);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.limits.memory).toBeDefined();
      }
    }
  });

  it('gives each Deployment probes on /health/live and /health/ready, a config checksum and a grace period', () => {
    for (const deployment of ofKind(objects, 'Deployment')) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container.args).toEqual(['main.js']);
      expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
      const selector = deployment.spec.selector.matchLabels;
      expect(Object.keys(selector).sort()).toEqual([
        'app.kubernetes.io/component',
        'app.kubernetes.io/instance',
        'app.kubernetes.io/name',
      ]);
    }
  });

  it('caps the V8 heap below the memory limit, so the process collects garbage before the OOM killer strikes', () => {
    const mebibytes = (quantity: string) => {
      const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
      if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
      return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
    };
    for (const deployment of ofKind(objects, 'Deployment')) {
      const [container] = deployment.spec.template.spec.containers;
      const config = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === deployment.metadata.name)!;
      const heap = /--max-old-space-size=(\d+)/.exec(config.data!.NODE_OPTIONS ?? '');
      expect(heap).not.toBeNull();
      expect(Number(heap![1])).toBeLessThanOrEqual(0.8 * mebibytes(container.resources.limits.memory));
    }
  });

  it('gives every service account no API token', () => {
    for (const account of ofKind(objects, 'ServiceAccount')) {
      expect((account as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken).toBe(false);
    }
  });

  it('exposes http and metrics ports on every Service', () => {
    for (const service of ofKind(objects, 'Service')) {
      expect(service.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http', 'metrics']);
    }
  });

  it('has a PodDisruptionBudget exactly for components with more than one replica', () => {
    const budgeted = ofKind(objects, 'PodDisruptionBudget').map((p) => p.metadata.name).sort();
    const replicated = ofKind(objects, 'Deployment')
      .filter((d) => {
        const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === d.metadata.name);
        return (hpa ? hpa.spec.minReplicas : d.spec.replicas) > 1;
      })
      .map((d) => d.metadata.name)
      .sort();
    expect(budgeted).toEqual(replicated);
  });

  it('migrates each enabled service in a pre-install/pre-upgrade hook Job reading only its database Secret', () => {
    const jobs = ofKind(objects, 'Job').filter((j) => j.metadata.name.endsWith('-migrate'));
    if (jobs.length === 0) return; // migrations.enabled=false in this set
    expect(jobs).toHaveLength(ofKind(objects, 'Deployment').length);
    for (const job of jobs) {
      expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5' });
      const [container] = job.spec.template.spec.containers;
      expect(container.args).toEqual(['migrate.js']);
      expect(container.envFrom).toBeUndefined();
      const fromSecrets = container.env.filter((e: { valueFrom?: unknown }) => e.valueFrom);
      expect(fromSecrets).toHaveLength(1);
      expect(fromSecrets[0].name).toMatch(/_DATABASE_URL$/);
    }
  });
});

describe('switches', () => {
  it('renders a PodDisruptionBudget once replicas exceed one', () => {
    expect(ofKind(renderChart(), 'PodDisruptionBudget')).toEqual([]);
    const budgets = ofKind(renderChart({ set: { 'positionMonitor.replicaCount': '2' } }), 'PodDisruptionBudget');
    expect(budgets.map((b) => [b.metadata.name, b.spec.minAvailable])).toEqual([['trading-position-monitor', 1]]);
  });

  it('rolls pods when their config changes, and only theirs', () => {
    const checksums = (objects: K8sObject[]) =>
      Object.fromEntries(ofKind(objects, 'Deployment').map((d) => [d.metadata.name, d.spec.template.metadata.annotations['checksum/config']]));
    const before = checksums(renderChart());
    const after = checksums(renderChart({ setString: { 'executor.config.riskMaxNotional': '20000.5' } }));
    expect(after['trading-executor']).not.toEqual(before['trading-executor']);
    expect(after['trading-order-monitor']).toEqual(before['trading-order-monitor']);
  });

  it('renders ServiceMonitors, KafkaTopics and the PrometheusRule only when the cluster serves their APIs', () => {
    const values = ['ci/all-features-values.yaml'];
    const without = renderChart({ values, crds: false });
    expect(without.filter((o) => ['ServiceMonitor', 'PrometheusRule', 'KafkaTopic'].includes(o.kind))).toEqual([]);
    const monitors = ofKind(renderChart({ values }), 'ServiceMonitor');
    expect(monitors).toHaveLength(4);
    for (const monitor of monitors) {
      expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    }
  });

  it('declares every contract topic and its dead-letter topic as a kept KafkaTopic', () => {
    const declared = JSON.parse(readFileSync(join(CHART, 'files/topics.json'), 'utf8')) as {
      topics: { name: string; deadLetter: string; partitions: number; retentionMs: number }[];
    };
    const topics = ofKind(renderChart({ values: ['ci/production-values.yaml'] }), 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(declared.topics.flatMap((t) => [t.name, t.deadLetter]).sort());
    for (const topic of topics) {
      expect(topic.apiVersion).toBe('kafka.strimzi.io/v1');
      expect(topic.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      expect(topic.metadata.labels).toMatchObject({ 'strimzi.io/cluster': 'prod' });
      expect(topic.metadata.namespace).toBe('kafka');
      expect(topic.spec.replicas).toBe(3);
    }
    const prefixed = ofKind(renderChart({ values: ['ci/all-features-values.yaml'] }), 'KafkaTopic');
    expect(prefixed.map((t) => t.spec.topicName)).toContain('staging.order.filled.dlq');
  });

  it('ships rule files in one PrometheusRule, labels every alert, keeps Prometheus templates verbatim', () => {
    const rules = [
      'groups:',
      '  - name: trading-test',
      '    rules:',
      '      - record: job:up:sum',
      '        expr: sum by (job) (up)',
      '      - alert: TradingTargetDown',
      '        expr: up == 0',
      '        for: 5m',
      '        labels: {severity: critical}',
      '        annotations:',
      '          summary: A trading target is down.',
      '          description: "{{ $labels.job }} on {{ $labels.instance }} is down."',
      '',
    ].join('\n');
    const dashboard = JSON.stringify({ uid: 'trading-test', title: 'Trading test', panels: [] });
    const objects = withChartCopy(
      (dir) => {
        // Only these files, whatever rules and dashboards the chart ships today.
        for (const folder of ['files/rules', 'files/dashboards']) {
          rmSync(join(dir, folder), { recursive: true, force: true });
          mkdirSync(join(dir, folder));
        }
        writeFileSync(join(dir, 'files/rules/test.rules.yaml'), rules);
        writeFileSync(join(dir, 'files/dashboards/trading-test.json'), dashboard);
      },
      (dir) => renderChart({ chart: dir, values: [join(dir, 'ci/all-features-values.yaml')] }),
    );
    const [rule, ...others] = ofKind(objects, 'PrometheusRule');
    expect(others).toEqual([]);
    expect(rule!.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    const [recording, alert] = rule!.spec.groups[0].rules;
    expect(recording).toEqual({ record: 'job:up:sum', expr: 'sum by (job) (up)' });
    expect(alert.labels).toEqual({ severity: 'critical', team: 'trading' });
    expect(alert.annotations).toEqual({
      summary: 'A trading target is down.',
      description: '{{ $labels.job }} on {{ $labels.instance }} is down.',
      runbook_url: 'https://runbooks.example.com/trading#alert-name-tradingtargetdown',
    });
    const boards = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
    expect(boards.map((b) => [b.metadata.name, b.metadata.namespace, b.metadata.annotations])).toEqual([
      ['trading-dashboard-trading-test', 'monitoring', { grafana_folder: 'Trading' }],
    ]);
    expect(JSON.parse(boards[0]!.data!['trading-test.json']!)).toEqual(JSON.parse(dashboard));
  });

  it('ships every dashboard file of the chart as its own ConfigMap', () => {
    const files = readdirSync(join(CHART, 'files/dashboards')).filter((f) => f.endsWith('.json'));
    const boards = ofKind(renderChart({ values: ['ci/production-values.yaml'] }), 'ConfigMap').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    );
    expect(boards.flatMap((b) => Object.keys(b.data ?? {})).sort()).toEqual(files.sort());
    for (const board of boards) expect(JSON.stringify(board.data).length).toBeLessThan(1024 * 1024);
  });

  it('provisions topics through the admin API in a hook Job before the migrations, when asked', () => {
    expect(ofKind(renderChart(), 'Job').map((j) => j.metadata.name)).not.toContain('trading-topics');
    const [job, ...others] = ofKind(renderChart({ values: ['ci/minimal-values.yaml'] }), 'Job');
    expect(others).toEqual([]);
    expect(job!.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-10' });
    const [container] = job!.spec.template.spec.containers;
    expect(container.image).toBe('tlp/executor:0.1.0');
    expect(container.args).toEqual(['provision-topics.js']);
    expect(container.env).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'EXECUTOR_KAFKA_BROKERS', value: 'kafka.example.internal:9092' },
      { name: 'EXECUTOR_KAFKA_TOPIC_PREFIX', value: '' },
      { name: 'EXECUTOR_KAFKA_TOPIC_REPLICATION_FACTOR', value: '1' },
    ]);
  });

  it('refuses to manage topics both as KafkaTopics and through the admin API', () => {
    expect(() => renderChart({ values: ['ci/production-values.yaml'], set: { 'topicProvisioning.enabled': 'true' } })).toThrow(
      /enable one of kafkaTopics .* and topicProvisioning .*, not both/,
    );
  });

  it('points the helm test pod at every enabled component readiness endpoint', () => {
    const [pod] = ofKind(renderChart({ values: ['ci/minimal-values.yaml'] }), 'Pod');
    expect(pod!.metadata.annotations?.['helm.sh/hook']).toBe('test');
    expect(pod!.spec.containers[0].args.slice(1)).toEqual([
      'http://trading-executor.trading.svc:3001/health/ready',
      'http://trading-order-monitor.trading.svc:3002/health/ready',
      'http://trading-position-monitor.trading.svc:3003/health/ready',
    ]);
  });

  it('limits ingress to the http port and egress to DNS, Kafka, PostgreSQL and the broker', () => {
    const policies = ofKind(renderChart({ values: ['ci/all-features-values.yaml'] }), 'NetworkPolicy');
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress.flatMap((r: { ports: unknown[] }) => r.ports)).toEqual([{ port: 'http', protocol: 'TCP' }]);
      const egressPorts = policy.spec.egress.flatMap((r: { ports: { port: number }[] }) => r.ports.map((p) => p.port));
      expect(egressPorts).toEqual([53, 53, 9093, 5432, 443]);
    }
  });
});
