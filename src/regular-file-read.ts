import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest config file read: a hand-written config is kilobytes; ten megabytes is a mistake, not a config. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;
/** The largest cassette read: thousands of recorded answers fit many times over. */
export const MAX_CASSETTE_BYTES = 64 * 1024 * 1024;

/** A file's text, or why not; `missing` tells a file that is not there from one that cannot be used. */
export type RegularFileRead = { ok: true; text: string } | { ok: false; reason: string; missing: boolean };

export interface RegularFileLimits {
  /** What the file is to the user, in the reason: `config file`, `cassette`. */
  what: string;
  maxBytes: number;
}

// Opening a FIFO for reading would wait for a writer forever; non-blocking, the open returns and fstat says FIFO.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a file the user named (a config, a cassette) only when it is a regular file of at most `maxBytes`: a
 * device (`/dev/zero` never ends), a FIFO (blocks until someone writes) or a directory is refused before a byte is
 * read, naming the path and what it is. The checks are made on the opened descriptor, so a file swapped between
 * check and read cannot slip through, and reading stops past `maxBytes` should the file grow meanwhile.
 */
export function readRegularFileSync(path: string, limits: RegularFileLimits): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return unreadable(path, limits, error);
  }
  try {
    const problem = problemOf(path, fstatSync(fd), limits);
    if (problem) return problem;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      if (total > limits.maxBytes) return tooLarge(path, limits, undefined);
      chunks.push(chunk.subarray(0, read));
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return unreadable(path, limits, error);
  } finally {
    closeSync(fd);
  }
}

/** The same, without blocking the event loop: for files read while a server runs (the proxy's cassette). */
export async function readRegularFile(path: string, limits: RegularFileLimits): Promise<RegularFileRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return unreadable(path, limits, error);
  }
  try {
    const problem = problemOf(path, await handle.stat(), limits);
    if (problem) return problem;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(CHUNK_BYTES), 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) return tooLarge(path, limits, undefined);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return unreadable(path, limits, error);
  } finally {
    await handle.close();
  }
}

function problemOf(path: string, stats: Stats, limits: RegularFileLimits): RegularFileRead | undefined {
  if (!stats.isFile()) {
    return {
      ok: false,
      reason: `${path}: cannot read the ${limits.what}: it is ${kindOf(stats)}, not a regular file`,
      missing: false,
    };
  }
  return stats.size > limits.maxBytes ? tooLarge(path, limits, stats.size) : undefined;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** `size`: what stat said, or `undefined` when the file grew past the bound while it was read. */
function tooLarge(path: string, limits: RegularFileLimits, size: number | undefined): RegularFileRead {
  const is = size === undefined ? `more than ${limits.maxBytes}` : String(size);
  return {
    ok: false,
    reason: `${path}: cannot read the ${limits.what}: it is ${is} bytes; a ${limits.what} may have at most ${limits.maxBytes} bytes`,
    missing: false,
  };
}

function unreadable(path: string, limits: RegularFileLimits, error: unknown): RegularFileRead {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    ok: false,
    reason: `${path}: cannot read the ${limits.what} (${code ?? (error as Error).message})`,
    missing: code === 'ENOENT',
  };
}
