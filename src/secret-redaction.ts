/** What a secret is replaced with wherever it would otherwise be recorded, logged or shown. */
export const REDACTED = '[REDACTED]';

/**
 * `value` with every occurrence of each secret replaced by REDACTED, in every string value at any depth. Written
 * once and applied to everything the suites record and the drift check writes, because a vendor error body may echo
 * the key it refused, and a report is uploaded as a CI artifact. Object keys are left alone: they are field names,
 * and scrubbing them would break the records' shape whenever a secret is short.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const present = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
  if (present.length === 0) return value;
  // One pass, longest first, so a secret that contains another is replaced whole and REDACTED is never rescanned.
  const pattern = new RegExp(
    [...present]
      .sort((a, b) => b.length - a.length)
      .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return item.replace(pattern, REDACTED);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
    }
    return item;
  };
  return walk(value) as T;
}

/**
 * A function that blanks out one secret wherever it appears in a text. The client runs every text it did not write
 * itself (the server's `reason`, a body excerpt) through it: a misbehaving server or proxy that echoes the request
 * headers must not be able to put the secret into an error message or a log line.
 */
export function secretRedactor(secret: string): (text: string) => string {
  return (text) => redact(text, [secret]);
}
