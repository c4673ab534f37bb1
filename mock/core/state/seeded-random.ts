// The two modules used, through pure-rand's documented subpath exports: its index loads every generator and
// distribution, which doubled the time pure-rand added to the mock's start-up (about 24 ms against 12).
import { unsafeUniformIntDistribution } from 'pure-rand/distribution/UnsafeUniformIntDistribution';
import { xoroshiro128plus } from 'pure-rand/generator/XoroShiro';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * A repeatable source of integers for fault draws and latency ranges: the same seed gives the same
 * faults and delays in the same order of requests, so a failing CI run can be replayed.
 */
export class SeededRandom {
  private generator: RandomGenerator;

  constructor(private readonly seed: number) {
    this.generator = xoroshiro128plus(seed);
  }

  /** An integer in min..max inclusive. */
  integer(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  reset(): void {
    this.generator = xoroshiro128plus(this.seed);
  }
}

/**
 * The `index`-th draw of the sequence of `seed`, computed from (seed, index) alone rather than by stepping a
 * generator: a shared store hands out indexes from one counter (Redis INCR), so every replica draws from one
 * repeatable sequence without sharing a generator's state. The index is mixed into a fresh generator's seed with
 * murmur3's 32-bit finaliser, so neighbouring indexes give unrelated draws.
 */
export function seededIntegerAt(seed: number, index: number, min: number, max: number): number {
  let mixed = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return unsafeUniformIntDistribution(min, max, xoroshiro128plus(mixed | 0));
}
