import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact-secrets.js';

describe('redact', () => {
  it('replaces every secret in strings and keys at any depth, and leaves other values alone', () => {
    const value = {
      reason: 'key s3cret-id with secret s3cret-key refused',
      nested: [{ 's3cret-key': 'again s3cret-key' }, 42, null, true],
    };
    expect(redact(value, ['s3cret-id', 's3cret-key', undefined])).toEqual({
      reason: `key ${REDACTED} with secret ${REDACTED} refused`,
      nested: [{ [REDACTED]: `again ${REDACTED}` }, 42, null, true],
    });
  });

  it('replaces a secret that contains another one whole', () => {
    expect(redact('abc-abcdef', ['abc', 'abcdef'])).toBe(`${REDACTED}-${REDACTED}`);
  });

  it('changes nothing when there is no secret to hide', () => {
    const value = { a: 'b' };
    expect(redact(value, [undefined, ''])).toBe(value);
  });
});
