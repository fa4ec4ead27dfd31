/**
 * `pnpm bench:positions`: prints the accounting core's fills per second and the audit-trail latency
 * of a position with 1,000 orders on the stack's PostgreSQL. Figures, not pass/fail; the target for
 * the audit trail is p99 under 20 ms.
 */
import { cpus, loadavg } from 'node:os';
import 'reflect-metadata';
import { benchAccounting } from './accounting.bench';
import { benchAuditTrail } from './audit-trail.bench';

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const [one, five] = loadavg();
  process.stdout.write(`machine: ${cpus().length} cores, load average ${one?.toFixed(2)} (1 min) ${five?.toFixed(2)} (5 min); figures scale with load\n`);
  const accounting = benchAccounting(Number(process.env['BENCH_FILLS'] ?? 100_000));
  process.stdout.write(`accounting core (applyFill): ${accounting.fillsPerSecond.toLocaleString('en-US')} fills/s (${accounting.fills} fills in ${accounting.seconds.toFixed(2)} s)\n`);
  const orders = Number(process.env['BENCH_ORDERS'] ?? 1000);
  const trail = await benchAuditTrail(orders, Number(process.env['BENCH_REQUESTS'] ?? 500));
  process.stdout.write(
    `audit trail over HTTP, ${orders} orders (${trail.entries} entries, consistent: ${trail.consistent}), ${trail.requests} requests: ` +
      `p50 ${ms(trail.p50)}, p95 ${ms(trail.p95)}, p99 ${ms(trail.p99)}, max ${ms(trail.max)}, node CPU ${ms(trail.cpuMsPerRequest)}/request (client and server) (target p99 < 20 ms: ${trail.p99 < 20 ? 'met' : 'MISSED'})\n`,
  );
  const { steps } = trail;
  process.stdout.write(
    `audit trail steps (median, in process): database read ${ms(steps.databaseRead)} (3 statements, one round trip and snapshot, RLS), ` +
      `build ${ms(steps.build)}, JSON.stringify ${ms(steps.serialize)} (${(steps.responseBytes / 1024).toFixed(0)} KiB), client JSON.parse ${ms(steps.clientParse)}; ` +
      `the rest of a round trip is HTTP (Fastify, fetch) and scheduling\n`,
  );
  const [after] = loadavg();
  process.stdout.write(`load average at the end: ${after?.toFixed(2)} (1 min)\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
