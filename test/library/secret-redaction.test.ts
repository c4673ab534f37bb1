import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, redact, secretRedactor } from '../../src/secret-redaction.js';

describe('redact', () => {
  it('replaces long secrets as whole tokens in string values at any depth, and leaves keys and other values alone', () => {
    const value = {
      reason: 'key s3cret-id-77 with secret s3cret-key-99 refused',
      nested: [{ contentType: 'again "s3cret-key-99".' }, 42, null, true],
    };
    expect(redact(value, ['s3cret-id-77', 's3cret-key-99', undefined])).toEqual({
      reason: `key ${REDACTED} with secret ${REDACTED} refused`,
      nested: [{ contentType: `again "${REDACTED}".` }, 42, null, true],
    });
  });

  it('never mangles text with a short secret, yet hides a short secret that is a whole field value', () => {
    const report = { finding: 'HTTP 200 expected 401', probe: 'json-body', echoed: 'e', id: 'y', n: ['e', 'ey'] };
    expect(redact(report, ['y', 'e'])).toEqual({
      finding: 'HTTP 200 expected 401',
      probe: 'json-body',
      echoed: REDACTED,
      id: REDACTED,
      n: [REDACTED, 'ey'],
    });
    expect(secretRedactor('s1')('key s1 refused')).toBe('key s1 refused');
    expect(MIN_SECRET_LENGTH).toBeGreaterThanOrEqual(8);
  });

  it('replaces only whole tokens of a long secret, never a part of a longer word', () => {
    const secret = 'abcdefgh12';
    expect(redact(`x=${secret}; ${secret}`, [secret])).toBe(`x=${REDACTED}; ${REDACTED}`);
    expect(redact(`${secret}99 z${secret}`, [secret])).toBe(`${secret}99 z${secret}`);
  });

  it('replaces a secret that contains another one whole, and never rescans its own replacement', () => {
    expect(redact('abcdefgh-abcdefghijk', ['abcdefgh', 'abcdefgh-abcdefghijk'])).toBe(REDACTED);
    expect(redact('abcdefghij abcdefgh', ['abcdefgh', 'abcdefghij'])).toBe(`${REDACTED} ${REDACTED}`);
    expect(redact('key abcdefgh', ['abcdefgh', 'REDACTED'])).toBe(`key ${REDACTED}`);
  });

  it('treats secrets as text, not as patterns (regex-special characters)', () => {
    const secret = 'a.b+c*(d)[e]$^|\\';
    expect(redact(`key ${secret} here, a-b-cc(d)[e]`, [secret])).toBe(`key ${REDACTED} here, a-b-cc(d)[e]`);
    expect(redact({ v: '.*' }, ['.*'])).toEqual({ v: REDACTED });
    expect(redact('any text .* at all', ['.*'])).toBe('any text .* at all');
  });

  it('changes nothing when there is no secret to hide', () => {
    const value = { a: 'b' };
    expect(redact(value, [undefined, ''])).toBe(value);
  });
});
