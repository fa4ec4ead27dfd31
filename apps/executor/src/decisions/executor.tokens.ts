/** Injection token of the executor's settings. */
export const EXECUTOR_SETTINGS = Symbol('EXECUTOR_SETTINGS');

export interface ExecutorSettings {
  /** Broker name recorded on orders, e.g. `alpaca`. */
  readonly brokerName: string;
  /** In-doubt submissions younger than this are left to the live path. */
  readonly recoveryGraceMs: number;
  /** How long a CANCEL waits for the broker to confirm the order's final state before the recovery pass takes over. */
  readonly cancelConfirmTimeoutMs: number;
  /** SCHEDULED: NEW_TRADE orders wait for the daily run; IMMEDIATE: screened and submitted on arrival. */
  readonly executionMode: 'SCHEDULED' | 'IMMEDIATE';
  /** `HH:MM`, New York wall clock. */
  readonly scheduleTime: string;
  readonly scheduleCheckIntervalMs: number;
}
