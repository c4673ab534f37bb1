import { hexByte, type Refusal, refuse, type Size, type Structure, type WalkOptions } from './image-structure.js';

// JPEG (ITU-T T.81 annex B: markers and segments)

/**
 * Walks a JPEG's segments from SOI to EOI: the frame header (SOF) and the scans, without decoding any. A fault
 * before the frame header is a refusal (no size can be read); a fault after it is the structure's `corruption`.
 * Without `verifyData` the common case ends at the first scan in O(1): scan data running to an EOI in the last two
 * bytes. With it, every scan's entropy-coded data is searched for the markers that end it (memchr-fast), each must be
 * one that can follow scan data, and the frame must have its quantization tables.
 */
export function walkJpeg(bytes: Uint8Array, options: WalkOptions = { verifyData: true }): Structure | Refusal {
  const n = bytes.length;
  const u16 = (at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  let frame: Size | undefined;
  let lossless = false;
  let sawQuantization = false;
  let header: Uint8Array | undefined; // up to the first SOS: the frame and its tables
  // After the frame header, damage no longer hides the size: it is corruption, which decision corrupt-image judges.
  const fault = (reason: string, at: number): Structure | Refusal =>
    frame === undefined
      ? refuse(reason)
      : { ok: true, header: header ?? bytes.subarray(0, at), frameSize: frame, corruption: reason };
  const truncated = (what: string, at: number) => fault(`JPEG image is truncated: ${what}`, at);
  const ending = () =>
    truncated(frame === undefined ? `ends after ${n} bytes, before any frame header (SOF)` : 'no EOI marker', n);

  for (let at = 2; ; ) {
    if (at >= n) return ending();
    if (bytes[at] !== 0xff) {
      return fault(`JPEG image is corrupt: expected a marker (0xFF) at byte ${at}, found ${hexByte(bytes[at])}`, at);
    }
    let markerAt = at;
    while (bytes[markerAt + 1] === 0xff) markerAt++; // fill bytes before a marker are allowed (B.1.1.2)
    const marker = bytes[markerAt + 1];
    if (marker === undefined) return ending();
    const name = markerName(marker);
    at = markerAt + 2;
    if (marker === 0xd9) {
      // EOI. Bytes after it are ignored, as decoders ignore them (some cameras append data).
      if (frame === undefined) return refuse('JPEG image is corrupt: EOI before any frame header (SOF)');
      // No scan at all is no image, rather than a damaged one.
      if (header === undefined) return refuse('JPEG image is corrupt: EOI before any scan (SOS): no pixel data');
      return { ok: true, header, frameSize: frame };
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // RSTn and TEM have no length
    if (marker === 0xd8 || marker === 0x00) {
      return fault(`JPEG image is corrupt: unexpected ${name} at byte ${markerAt}`, markerAt);
    }
    if (options.verifyData && isReserved(marker)) {
      return fault(`JPEG image is corrupt: reserved ${name} at byte ${markerAt}`, markerAt);
    }
    if (at + 2 > n) return truncated(`${name} at byte ${markerAt} has no length`, markerAt);
    const length = u16(at);
    if (length < 2)
      return fault(
        `JPEG image is corrupt: ${name} at byte ${markerAt} declares length ${length}, expected at least 2`,
        markerAt,
      );
    if (at + length > n) {
      return truncated(`${name} at byte ${markerAt} declares ${length} bytes, only ${n - at} follow`, markerAt);
    }
    if (isStartOfFrame(marker)) {
      if (frame !== undefined)
        return fault(`JPEG image is corrupt: a second frame header (${name}) at byte ${markerAt}`, markerAt);
      const components = bytes[at + 7] ?? 0;
      if (length < 8 || components === 0 || length !== 8 + 3 * components) {
        return refuse(
          `JPEG image is corrupt: ${name} at byte ${markerAt} declares ${length} bytes for ${components} components,` +
            ' expected 8 + 3 per component',
        );
      }
      frame = { height: u16(at + 3), width: u16(at + 5) };
      lossless = (marker & 0x03) === 0x03; // SOF3, 7, 11, 15: lossless, no DCT and so no quantization
    }
    if (marker === 0xdb) sawQuantization = true;
    at += length;
    if (marker === 0xda) {
      if (frame === undefined)
        return refuse(`JPEG image is corrupt: scan (SOS) at byte ${markerAt} before any frame header (SOF)`);
      header ??= bytes.subarray(0, markerAt);
      if (options.verifyData && !lossless && !sawQuantization) {
        // No DHT is required: Motion-JPEG frames (webcams) leave the Huffman tables out, and libjpeg supplies the
        // standard ones; a DCT frame has no such default for its quantization tables.
        return fault(`JPEG image is corrupt: scan (SOS) at byte ${markerAt} before any quantization table (DQT)`, at);
      }
      if (!options.verifyData && n - 2 >= at && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9) {
        return { ok: true, header, frameSize: frame };
      }
      const next = endOfScanData(bytes, at);
      if (next === undefined) return truncated('no EOI marker after the scan data', n);
      const ender = bytes[next + 1] ?? 0;
      if (options.verifyData && !canFollowScan(ender)) {
        return fault(
          `JPEG image is corrupt: the scan data of the SOS at byte ${markerAt} holds ${isReserved(ender) ? 'reserved ' : ''}${markerName(ender)} at byte ${next}`,
          next,
        );
      }
      at = next;
    }
  }
}

/**
 * The markers that may end a scan's entropy-coded data (table B.1): another scan or the tables before it (DHT, DAC,
 * DQT, DRI, SOS), DNL, EOI, APPn and COM. Anything else there (a frame header, SOI, a reserved code) is damage: in
 * random bytes about 9 in 10 markers are such, so damaged scan data is found at its first stray 0xFF.
 */
function canFollowScan(marker: number): boolean {
  return (
    marker === 0xc4 ||
    marker === 0xcc ||
    (marker >= 0xd9 && marker <= 0xdd) ||
    (marker >= 0xe0 && marker <= 0xef) ||
    marker === 0xfe
  );
}

/** Reserved marker codes (table B.1): 0x02..0xBF and the JPEG extensions 0xF0..0xFD, which no encoder writes. */
function isReserved(marker: number): boolean {
  return (marker >= 0x02 && marker <= 0xbf) || (marker >= 0xf0 && marker <= 0xfd);
}

/**
 * Where the entropy-coded data after an SOS header ends: the first 0xFF that starts a marker, skipping stuffed
 * 0xFF00 and the restart markers RST0..7 that live inside scan data. Buffer's indexOf is memchr, twice as fast as
 * Uint8Array's, so a plain Uint8Array is viewed (not copied) as a Buffer. Used when the file does not end in EOI:
 * trailing bytes after EOI, several scans, or truncation.
 */
function endOfScanData(bytes: Uint8Array, from: number): number | undefined {
  const haystack = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = haystack.indexOf(0xff, from); at !== -1; at = haystack.indexOf(0xff, at + 1)) {
    const next = bytes[at + 1];
    if (next === undefined) return undefined;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return at;
  }
  return undefined;
}

/** SOF0..15 except DHT (C4), JPG (C8) and DAC (CC), which share the range (table B.1). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function markerName(marker: number): string {
  const names: Record<number, string> = { 196: 'DHT', 216: 'SOI', 218: 'SOS', 219: 'DQT', 221: 'DRI', 254: 'COM' };
  const code = `0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`;
  const name = isStartOfFrame(marker)
    ? `SOF${marker - 0xc0}`
    : marker >= 0xe0 && marker <= 0xef
      ? `APP${marker - 0xe0}`
      : names[marker];
  return name === undefined ? `marker ${code}` : `${name} marker (${code})`;
}
