import { rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { MAX_CASSETTE_BYTES, readRegularFile, readRegularFileSync } from '../regular-file-read.js';
import { CASSETTE_VERSION, type Cassette, parseCassette, type Recording, serializeCassette } from './cassette.js';

/** A cassette file as read: checked, or why not; `missing` tells a file that is not there from a broken one. */
export type CassetteRead = { ok: true; cassette: Cassette } | { ok: false; reason: string; missing: boolean };

const CASSETTE_LIMITS = { what: 'cassette', maxBytes: MAX_CASSETTE_BYTES };

/**
 * Reads and checks a cassette file; every reason starts with the file's path. Only a regular file of at most
 * MAX_CASSETTE_BYTES is read (a device or FIFO is refused before a byte is read).
 */
export async function readCassetteFile(path: string): Promise<CassetteRead> {
  const read = await readRegularFile(path, CASSETTE_LIMITS);
  return read.ok ? checked(path, read.text) : read;
}

/** The same, synchronously: for entry points that start synchronously (the MSW handlers). */
export function readCassetteFileSync(path: string): CassetteRead {
  const read = readRegularFileSync(path, CASSETTE_LIMITS);
  return read.ok ? checked(path, read.text) : read;
}

function checked(path: string, text: string): CassetteRead {
  const check = parseCassette(text);
  return check.ok ? check : { ok: false, reason: `${path}: ${check.reason}`, missing: false };
}

export type CassetteWrite = { ok: true } | { ok: false; reason: string };

/**
 * Writes a cassette whole: to a temporary file beside it, then renamed over it, so a reader (a mock replaying it, a
 * crash mid-write) never sees half a file. `overwrite: false` refuses an existing file, naming `--force`.
 */
export async function writeCassetteFile(
  path: string,
  cassette: Cassette,
  { overwrite }: { overwrite: boolean },
): Promise<CassetteWrite> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    // `wx` fails on an existing file: the check and the claim are one step, not a race.
    if (!overwrite) await writeFile(path, '', { flag: 'wx' });
    await writeFile(temporary, serializeCassette(cassette));
    await rename(temporary, path);
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { ok: false, reason: `${path} exists; pass --force to overwrite it` };
    return { ok: false, reason: `${path}: cannot write the cassette (${code ?? (error as Error).message})` };
  }
}

/** An image's path as a cassette stores it: relative to the cassette's directory, with forward slashes. */
export function pathFromCassette(cassettePath: string, imagePath: string): string {
  return relative(dirname(resolve(cassettePath)), resolve(imagePath))
    .split('\\')
    .join('/');
}

/** Where a recorded image's path points, for a cassette at `cassettePath`. */
export function imagePathOf(cassettePath: string, recorded: string): string {
  return isAbsolute(recorded) ? recorded : resolve(dirname(resolve(cassettePath)), recorded);
}

/**
 * Appends recordings to a cassette file one at a time (the recording proxy answers calls concurrently): each append
 * reads the file as it is now (or starts an empty cassette), adds the recording unless its image is already there,
 * and writes the whole file atomically. Appends are chained, so two never interleave.
 */
export class CassetteAppender {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  append(recording: Recording): Promise<CassetteWrite> {
    const next = this.chain.then(() => this.appendNow(recording));
    this.chain = next;
    return next;
  }

  private async appendNow(recording: Recording): Promise<CassetteWrite> {
    const current = await readCassetteFile(this.path);
    let cassette: Cassette;
    if (current.ok) cassette = current.cassette;
    else if (current.missing) cassette = { version: CASSETTE_VERSION, recordings: [] };
    else return { ok: false, reason: current.reason };
    if (cassette.recordings.some((r) => r.image.sha256 === recording.image.sha256)) return { ok: true };
    cassette.recordings.push(recording);
    return writeCassetteFile(this.path, cassette, { overwrite: true });
  }
}
