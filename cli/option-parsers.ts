import { InvalidArgumentError } from 'commander';

/** A repeatable option (`--cassette a.yaml --cassette b.yaml`): each value appended to the list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A count of something (calls, milliseconds): a whole number above 0, or a usage error naming what it must be. */
export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count <= 0) throw new InvalidArgumentError('must be a whole number above 0');
  return count;
}
