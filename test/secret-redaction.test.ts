import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../src/secret-redaction.js';

describe('redact', () => {
  it('replaces every secret in string values at any depth, and leaves keys and other values alone', () => {
    const value = {
      reason: 'key s3cret-id with secret s3cret-key refused',
      nested: [{ contentType: 'again s3cret-key' }, 42, null, true],
    };
    expect(redact(value, ['s3cret-id', 's3cret-key', undefined])).toEqual({
      reason: `key ${REDACTED} with secret ${REDACTED} refused`,
      nested: [{ contentType: `again ${REDACTED}` }, 42, null, true],
    });
  });

  it('replaces a secret that contains another one whole, and never rescans its own replacement', () => {
    expect(redact('abc-abcdef', ['abc', 'abcdef'])).toBe(`${REDACTED}-${REDACTED}`);
    expect(redact('key E', ['E', 'D'])).toBe(`key ${REDACTED}`);
  });

  it('treats secrets as text, not as patterns', () => {
    expect(redact('a.b+c a-b-c', ['a.b+c'])).toBe(`${REDACTED} a-b-c`);
  });

  it('changes nothing when there is no secret to hide', () => {
    const value = { a: 'b' };
    expect(redact(value, [undefined, ''])).toBe(value);
  });
});
