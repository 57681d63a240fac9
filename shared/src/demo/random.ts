/**
 * A small seeded PRNG (mulberry32) so the demo portfolio is reproducible byte for byte.
 * Every account draws from its own stream derived from (seed, account index, stream name), so an
 * account's records never depend on batch size or on how many accounts came before it.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight; weights need not sum to 1. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** Roughly normal around 0 with standard deviation 1 (sum of uniforms; bounded, cheap). */
  gaussian(): number;
}

/** Mixes integers into one 32-bit seed (murmur3-style finaliser per part). */
export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    let value = Math.imul(part | 0, 0xcc9e2d51);
    value = (value << 15) | (value >>> 17);
    value = Math.imul(value, 0x1b873593);
    hash ^= value;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
    // Large indices and negative seeds still mix: fold in the high bits as well.
    hash ^= Math.floor(part / 0x100000000) | 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Stable numeric tag for a stream name, so streams are named in code rather than numbered. */
export function streamTag(name: string): number {
  let hash = 2166136261;
  for (let position = 0; position < name.length; position++) {
    hash = Math.imul(hash ^ name.charCodeAt(position), 16777619);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast and good enough for synthetic data (not for anything secret). */
class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let value = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (let position = 0; position < entries.length; position++) total += entries[position]![1];
    let target = this.next() * total;
    for (let position = 0; position < entries.length; position++) {
      const entry = entries[position]!;
      target -= entry[1];
      if (target < 0) return entry[0];
    }
    return entries[entries.length - 1]![0];
  }

  gaussian(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508;
  }
}

export function createRandom(seed: number): Random {
  return new SeededRandom(seed);
}

/** The stream for one purpose of one account of one portfolio. */
export function accountRandom(seed: number, accountIndex: number, stream: string): Random {
  return createRandom(mixSeed(seed, accountIndex, streamTag(stream)));
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
