/**
 * Seeded pseudo-random numbers for the simulated market. Not cryptographic; the point is that one
 * seed string always yields the same sequence, on every machine.
 */

/** FNV-1a over the UTF-16 code units of `text`: a 32-bit unsigned hash. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export interface Prng {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  nextInt(bound: number): number;
}

/** mulberry32: small, fast and good enough for a price walk. */
export function createPrng(seed: string): Prng {
  let state = hashSeed(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, nextInt: (bound: number) => Math.floor(next() * bound) };
}
