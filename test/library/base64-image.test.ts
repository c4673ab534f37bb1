import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeImageBase64 } from '../../src/image/base64-image.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';

const { minSide, maxBytes } = imageConstraints();
/** The first seeded image whose base64 needs padding, so that "unpadded" below really drops something. */
function paddedImage(make: (options: { width: number; height: number; seed: number }) => Buffer): Buffer {
  for (let seed = 1; ; seed++) {
    const image = make({ width: minSide, height: minSide, seed });
    if (image.length % 3 !== 0) return image;
  }
}
const jpeg = paddedImage(makeJpeg);
const png = paddedImage(makePng);

function decoded(text: string, limit?: number): Buffer {
  const result = decodeImageBase64(text, limit);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text.slice(0, 40))} to decode, got: ${result.reason}`);
  return result.bytes;
}

function reasonFor(text: string, limit?: number): string {
  const result = decodeImageBase64(text, limit);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text.slice(0, 40))} to be refused`);
  return result.reason;
}

/** MIME base64 (RFC 2045): CRLF after every 76 characters. */
function mimeWrapped(text: string): string {
  return text.replace(/.{76}/g, '$&\r\n');
}

describe('decodeImageBase64 decodes standard base64 as the spec decides', () => {
  it.each([
    ['JPEG', jpeg],
    ['PNG', png],
  ])('a real %s, padded, unpadded and MIME-wrapped with CRLF every 76 characters', (_, image) => {
    const text = image.toString('base64');
    expect(text).toMatch(/=$/);
    expect(decoded(text).equals(image)).toBe(true);
    expect(decoded(text.replace(/=+$/, '')).equals(image)).toBe(true);
    const wrapped = mimeWrapped(text);
    expect(wrapped).toContain('\r\n');
    expect(decoded(wrapped).equals(image)).toBe(true);
    expect(decoded(`\n  ${wrapped}\r\n\t`).equals(image)).toBe(true);
  });

  it('any bytes, any padding choice, any ASCII white space', () => {
    const whiteSpace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\f'), { maxLength: 3 }).map((s) => s.join(''));
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), whiteSpace), { maxLength: 5 }),
        (bytes, keepPadding, breaks) => {
          let text = Buffer.from(bytes).toString('base64');
          if (!keepPadding) text = text.replace(/=+$/, '');
          for (const [at, space] of breaks) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + space + text.slice(i);
          }
          expect([...decoded(text)]).toEqual([...bytes]);
        },
      ),
    );
  });

  it('exactly the byte limit passed in, and one byte more refused with the limit in the reason', () => {
    const limit = 300;
    const atLimit = Buffer.alloc(limit, 7);
    expect(decoded(atLimit.toString('base64'), limit).equals(atLimit)).toBe(true);
    expect(reasonFor(Buffer.alloc(limit + 1).toString('base64'), limit)).toBe(
      `image_base64 decodes to 0.0 MB (${limit + 1} bytes); at most ${limit} bytes allowed`,
    );
  });

  it('the spec limit by default: one byte over it is refused', () => {
    const text = Buffer.alloc(maxBytes + 1).toString('base64');
    expect(reasonFor(text)).toBe(
      `image_base64 decodes to 5.0 MB (${maxBytes + 1} bytes); at most ${maxBytes} bytes allowed`,
    );
    expect(decoded(Buffer.alloc(maxBytes).toString('base64')).length).toBe(maxBytes);
  });

  it('refuses a 50 MB text by its length alone, without scanning it', () => {
    // The text ends in a character that is not base64: a scan would find it and say so. The reason is about the
    // length, so the text was refused before any scan (order, not time, is what is asserted).
    const huge = `${'A'.repeat(50_000_000 - 1)}!`;
    const reason = reasonFor(huge);
    expect(reason).toMatch(
      /^image_base64 is 50000000 characters, far more than the \d+ base64 characters of a \d+-byte image; at most \d+ bytes allowed$/,
    );
    expect(reason).toContain(`at most ${maxBytes} bytes allowed`);
    expect(reasonFor(`${'A'.repeat(99)}!`)).toContain('"!" (U+0021) at position 99');
  });

  it('sizes a text with many line breaks by its base64 characters, not its length', () => {
    const limit = 90;
    const maxChars = 4 * Math.ceil(limit / 3);
    const text = Buffer.alloc(limit).toString('base64').replace(/../g, '$& ');
    expect(text.length).toBeGreaterThan(maxChars);
    expect(decoded(text, limit).length).toBe(limit);
  });

  it('refuses unread a text over twice the longest base64 of an allowed image, white space or not', () => {
    const limit = 90;
    const text = Buffer.alloc(limit).toString('base64').replace(/./g, '$&\r\n');
    expect(reasonFor(text, limit)).toBe(
      `image_base64 is ${text.length} characters, far more than the 120 base64 characters of a 90-byte image;` +
        ' at most 90 bytes allowed',
    );
  });
});

describe('decodeImageBase64 refuses other texts, saying what it found', () => {
  it.each([
    ['', /^image_base64 is empty; expected the base64 text of an image$/],
    [' \r\n\t ', /^image_base64 is empty \(only white space\); expected the base64 text of an image$/],
  ])('empty: %j', (text, reason) => {
    expect(reasonFor(text)).toMatch(reason);
  });

  it('the URL-safe alphabet, naming the character and its position', () => {
    // 0xfb 0xff encodes to "+/8" in standard and "-_8" in URL-safe base64.
    const urlSafe = Buffer.from([0xfb, 0xff, 0x00, 0x10]).toString('base64url');
    expect(urlSafe).toBe('-_8AEA');
    expect(reasonFor(urlSafe)).toBe(
      `image_base64 uses the URL-safe base64 alphabet: "-" (U+002D) at position 0; expected standard base64 (RFC 4648 section 4) with '+' and '/'`,
    );
    expect(reasonFor(`AAAA${urlSafe.slice(1)}`)).toMatch(/URL-safe base64 alphabet: "_" \(U\+005F\) at position 4;/);
  });

  it('a data: URL prefix, quoting it', () => {
    const text = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    expect(reasonFor(text)).toBe(
      'image_base64 starts with a data: URL prefix ("data:image/jpeg;base64,"); send only the base64 text after the comma',
    );
    expect(reasonFor(' DATA:image/png;base64,iVBORw0KGgo=')).toMatch(/data: URL prefix \("DATA:image\/png;base64,"\)/);
  });

  it.each([
    ['AB%D', '"%" (U+0025) at position 2'],
    ['ABCD\u00e9FGH', '"é" (U+00E9) at position 4'],
    ['ABCD\u0000', '"\\u0000" (U+0000) at position 4'],
    ['AB\r\nC*', '"*" (U+002A) at position 5'],
    ['ABCD\u{1f600}', '"😀" (U+1F600) at position 4'],
  ])('a stray character in %j', (text, found) => {
    expect(reasonFor(text)).toBe(
      `image_base64 has ${found}, which is not base64; expected A-Z, a-z, 0-9, '+', '/' and '=' padding at the end`,
    );
  });

  it.each([
    ['AB=C', "image_base64 has '=' padding at position 2, before the end; '=' may only end the text"],
    ['ABCD=EFG', "image_base64 has '=' padding at position 4, before the end; '=' may only end the text"],
    ['ABC===', "image_base64 ends with 3 '=' padding characters; at most 2 allowed"],
    ['AB\n=\n=\n=', "image_base64 ends with 3 '=' padding characters; at most 2 allowed"],
    ['ABCD=', 'image_base64 has 4 base64 characters followed by =; expected no padding'],
    ['ABCD==', 'image_base64 has 4 base64 characters followed by ==; expected no padding'],
    ['ABC==', 'image_base64 has 3 base64 characters followed by ==; expected = or no padding'],
    ['AB=', 'image_base64 has 2 base64 characters followed by =; expected == or no padding'],
    ['=', 'image_base64 has 0 base64 characters followed by =; expected no padding'],
  ])('wrong padding: %j', (text, reason) => {
    expect(reasonFor(text)).toBe(reason);
  });

  it.each(['A', 'ABCDE', 'ABCDE==', 'ABCDEFGHI'])('a length no base64 text has: %j', (text) => {
    expect(reasonFor(text)).toMatch(/^image_base64 has \d+ base64 characters, one more than a multiple of 4/);
  });

  it('never throws, and decodes exactly the texts made of base64 groups', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_ \r\n%.'), maxLength: 40 }), (text) => {
        const result = decodeImageBase64(text);
        const compact = text.replace(/[\t\n\f\r ]/g, '');
        const wellFormed =
          /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}(==)?|[A-Za-z0-9+/]{3}=?)?$/.test(compact) && compact !== '';
        expect(result.ok).toBe(wellFormed);
        if (result.ok) expect(result.bytes.length).toBe(Math.floor((compact.replace(/=+$/, '').length * 3) / 4));
      }),
      { numRuns: 3000 },
    );
  });
});
