import { computeOnce } from './compute-once.js';
import { credentialHeaders } from './spec/credential-headers.js';

/*
 * The one place the kit keeps secrets out of what it writes: cassettes (record and the recording proxy), the
 * journal (and so the dashboard), logs, drift reports and profiles, and the client's errors all redact through
 * here, with the configured keys' secrets and the secret of the call in flight.
 */

/** What a secret is replaced with wherever it would otherwise be recorded, logged or shown. */
export const REDACTED = '[REDACTED]';

/**
 * The shortest value the free-text pass treats as a secret. AccuAuth issues long random keys; a value shorter than
 * this (a test's `k1`/`s1`, a one-letter id) occurs by chance in ordinary words and numbers, so replacing it inside
 * text would mangle reports (`e[REDACTED]pected`) without protecting anything real. Such a value is still replaced
 * where it is a whole field value, and secret headers are blanked by name whatever their value.
 */
export const MIN_SECRET_LENGTH = 8;

/** Characters that continue a token: a secret counts as present in text only when not glued to one of these. */
const TOKEN_CHARACTER = 'A-Za-z0-9';

/**
 * `value` with each secret kept out, in every string value at any depth. Applied to everything the suites record,
 * the drift check writes and the client reports, because a vendor may echo the key it refused and a report is
 * uploaded as a CI artifact. Two rules, so that redaction never mangles what it protects:
 * - a string value that IS a secret (any length) becomes REDACTED: secrets reach records as whole field values;
 * - inside longer text, only whole tokens equal to a secret of at least MIN_SECRET_LENGTH characters are replaced
 *   (`key s3cret-key-123 refused`), never a substring of a word or a number.
 * Object keys are left alone: they are field names, not data.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const present = [...new Set(secrets)].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length > 0,
  );
  if (present.length === 0) return value;
  const whole = new Set(present);
  const inText = wholeTokenPattern(present.filter((secret) => secret.length >= MIN_SECRET_LENGTH));
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (whole.has(item)) return REDACTED;
      return inText ? item.replace(inText, REDACTED) : item;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
    }
    return item;
  };
  return walk(value) as T;
}

/**
 * One pattern for all secrets, longest first so a secret that contains another is replaced whole and REDACTED is
 * never rescanned; the secrets are escaped (they are text, not patterns) and bounded by non-token characters.
 */
function wholeTokenPattern(secrets: readonly string[]): RegExp | undefined {
  if (secrets.length === 0) return undefined;
  const alternatives = [...secrets]
    .sort((a, b) => b.length - a.length)
    .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  return new RegExp(`(?<![${TOKEN_CHARACTER}])(?:${alternatives})(?![${TOKEN_CHARACTER}])`, 'g');
}

/**
 * A function that keeps one secret out of a text. The client runs every text it did not write itself (the
 * server's `reason`, a body excerpt) through it: a misbehaving server or proxy that echoes the request headers
 * must not be able to put the secret into an error message or a log line.
 */
export function secretRedactor(secret: string): (text: string) => string {
  return (text) => redact(text, [secret]);
}

/** Headers whose values are secrets whatever their length: never kept, logged or shown. Read from the spec once. */
const secretHeaders = computeOnce(
  () => new Set([credentialHeaders().apiSecretLower, 'authorization', 'cookie', 'proxy-authorization']),
);

/**
 * Names under which a client that got the vendor's header names wrong sends its secret (X-API-SECRET, X-Api-Key,
 * X-Auth-Token, ...): the mock refuses such a request, and must not keep the secret it carried while saying why.
 */
const SECRET_LIKE_NAME = /secret|token|passw|key|auth|signature/i;

/** Request headers as the journal keeps them: every secret or secret-like header's value is REDACTED, by name. */
export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    kept[name] = secretHeaders().has(name) || SECRET_LIKE_NAME.test(name) ? REDACTED : value;
  }
  return kept;
}
