import { errorCatalogue } from '../../../src/spec/error-catalogue.js';
import type { StatusValue } from '../../../src/types.js';

/** The word that requires every documented outcome: OK and each error status value. */
export const ALL_OUTCOMES = 'all';

/** What a suite may be required to meet: a status value, or `all` of them. */
export type RequiredOutcome = StatusValue | typeof ALL_OUTCOMES;

/** OK and every documented error status value, in the spec's order: what `all` means. */
export function documentedOutcomes(): StatusValue[] {
  return ['OK', ...errorCatalogue().keys()];
}

/** The status values a requirement names, `all` expanded, each once, in the spec's order. */
export function requiredStatuses(required: readonly RequiredOutcome[]): StatusValue[] {
  const named = new Set<string>(required);
  return documentedOutcomes().filter((status) => named.has(ALL_OUTCOMES) || named.has(status));
}

/**
 * `all` or a comma-separated list of status values (the report's `--require`), or a reason naming the values
 * allowed: a typo must not pass as a requirement nobody can meet.
 */
export function parseRequiredOutcomes(
  text: string,
): { ok: true; required: RequiredOutcome[] } | { ok: false; reason: string } {
  const known = new Set<string>([ALL_OUTCOMES, ...documentedOutcomes()]);
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = parts.filter((part) => !known.has(part));
  if (parts.length === 0 || unknown.length > 0) {
    return {
      ok: false,
      reason:
        `${unknown.length > 0 ? `unknown outcome ${unknown.join(', ')}` : 'no outcome named'}: ` +
        `use ${ALL_OUTCOMES} or status values among ${documentedOutcomes().join(', ')}`,
    };
  }
  return { ok: true, required: parts as RequiredOutcome[] };
}
