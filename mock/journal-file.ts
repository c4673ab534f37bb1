import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MockControl } from './core/index.js';

/** The NDJSON journal file of a running mock: every entry appended as one JSON line, until `close()`. */
export interface JournalFileWriter {
  /** The file's absolute path. */
  readonly path: string;
  /** Stops appending and resolves once every line written so far is on disk. */
  close(): Promise<void>;
}

/**
 * Appends every journal entry the core hears to `path` as one JSON line: uncapped (the in-memory journal keeps the
 * last N), redacted as the journal is, so `accuauth-kit report --journal FILE` judges the client after the mock
 * stopped, and several files (one per test worker's mock) merge. The stream buffers, so the request path only
 * queues a line. An existing file is appended to: a run that starts several mocks in turn may share one file.
 */
export async function openJournalFile(path: string, core: MockControl): Promise<JournalFileWriter> {
  const absolute = resolve(path);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
  } catch (error) {
    throw new JournalFileError(absolute, error as Error);
  }
  const stream = createWriteStream(absolute, { flags: 'a' });
  await new Promise<void>((resolveOpen, reject) => {
    stream.once('open', () => resolveOpen());
    stream.once('error', (error) => reject(new JournalFileError(absolute, error)));
  });
  let failure: Error | undefined;
  // A full disk must not take the mock down; the close() reports it.
  stream.on('error', (error) => {
    failure ??= error;
  });
  const unsubscribe = core.subscribeJournal((entry) => {
    if (failure === undefined) stream.write(`${JSON.stringify(entry)}\n`);
  });
  return {
    path: absolute,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        unsubscribe();
        stream.end(() => (failure ? reject(new JournalFileError(absolute, failure)) : resolveClose()));
      }),
  };
}

/** The journal file could not be opened or written; says which file and why. */
export class JournalFileError extends Error {
  constructor(
    readonly path: string,
    cause: Error,
  ) {
    super(`cannot write the journal file ${path}: ${cause.message}`);
    this.name = 'JournalFileError';
  }
}
