/** Injection tokens of the executor's ports. */
export const BROKER = Symbol('BROKER');
export const EXECUTOR_SETTINGS = Symbol('EXECUTOR_SETTINGS');

export interface ExecutorSettings {
  /** Broker name recorded on orders, e.g. `alpaca`. */
  readonly brokerName: string;
  /** In-doubt submissions younger than this are left to the live path. */
  readonly recoveryGraceMs: number;
}
