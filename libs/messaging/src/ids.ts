import { v5 as uuidv5 } from 'uuid';

/** Namespace of every id the platform derives (uuid v5). Changing it changes every derived id: never do. */
export const TLP_ID_NAMESPACE = '6f2d7f3e-2a51-4f0e-9a43-5d2d1c1b9e10';

/**
 * An id derived from other ids and a purpose, e.g. `derivedId(fillEventId, 'position.updated')`.
 * The same inputs always give the same id, so a replay after a crash produces the same events and
 * downstream inboxes drop the duplicates.
 */
export function derivedId(...parts: readonly string[]): string {
  return uuidv5(parts.join('\u001f'), TLP_ID_NAMESPACE);
}
