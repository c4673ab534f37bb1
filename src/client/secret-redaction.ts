/** What every secret is replaced with wherever the client turns text into a message. */
export const REDACTED = '[REDACTED]';

/**
 * A function that blanks out the secret wherever it appears in a text. The client runs every text it did not
 * write itself (the server's `reason`, a body excerpt) through it: a misbehaving server or proxy that echoes the
 * request headers must not be able to put the secret into an error message or a log line.
 */
export function secretRedactor(secret: string): (text: string) => string {
  if (secret === '') return (text) => text;
  return (text) => text.split(secret).join(REDACTED);
}
