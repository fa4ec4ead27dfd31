export const DATA_QUALITY_SETTINGS = Symbol('DATA_QUALITY_SETTINGS');

/** The service's check settings, from its config (see data-quality.config.ts for each meaning). */
export interface DataQualitySettings {
  /** A filled order counts as unlinked only once its first fill is older than this. */
  readonly unlinkedGraceMs: number;
  readonly linkRateMin: number;
  readonly unprotectedGraceMs: number;
  readonly staleMarkAfterMs: number;
  readonly stuckSubmittedAfterMs: number;
  readonly autofixEnabled: boolean;
  readonly checkIntervalMs: number;
  readonly schedulerEnabled: boolean;
  /** `HH:MM`, New York. */
  readonly dailyReconciliationAt: string;
}
