export const DATA_QUALITY_SETTINGS = Symbol('DATA_QUALITY_SETTINGS');

export interface DataQualitySettings {
  /** A filled order counts as unlinked only once its first fill is older than this. */
  readonly unlinkedGraceMs: number;
}
