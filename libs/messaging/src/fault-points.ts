/**
 * Named places where a chaos test may kill the process outright (SIGKILL, no cleanup), to prove that
 * a crash at exactly that moment loses nothing and doubles nothing. Armed only through the
 * `TLP_FAULT_POINTS` environment variable (comma-separated names); a no-op otherwise.
 */
export type FaultPoint =
  | 'outbox-relay:after-publish'
  | 'outbox-relay:before-publish'
  | 'consumer:after-handler'
  | 'executor:after-submit'
  | 'order-monitor:after-exit-submit';

const armed = new Set(
  (process.env['TLP_FAULT_POINTS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export function faultPoint(name: FaultPoint): void {
  if (armed.has(name)) {
    process.stderr.write(`fault point ${name} reached: killing process ${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
