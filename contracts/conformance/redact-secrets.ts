/** What a secret is replaced with wherever it would otherwise be recorded. */
export const REDACTED = '[REDACTED]';

/**
 * `value` with every occurrence of each secret replaced by REDACTED, in every string at any depth (object keys
 * too). Written once and applied to everything the suites record and the drift check writes, because a vendor
 * error body may echo the key it refused, and a report is uploaded as a CI artifact.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const present = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
  if (present.length === 0) return value;
  // Longest first, so a secret that contains another is replaced whole.
  present.sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => present.reduce((out, secret) => out.replaceAll(secret, REDACTED), text);
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return scrub(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [scrub(key), walk(entry)]));
    }
    return item;
  };
  return walk(value) as T;
}
