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
