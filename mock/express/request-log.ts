import { createRequire } from 'node:module';
import type Pino from 'pino';

const require = createRequire(import.meta.url);

/** The part of a pino logger the mock uses: one structured line per request, so any pino-compatible logger fits. */
export interface MockLogger {
  info(fields: object, message?: string): void;
}

export interface OwnedLogger {
  logger: MockLogger;
  /** Writes what is buffered; the mock calls it on close. */
  flush(): void;
}

/**
 * The default logger: pino writing asynchronously to stderr (stdout carries only the CLI's ready line), so a
 * request never waits for a log write.
 */
export function stderrLogger(): OwnedLogger {
  let opened: { logger: Pino.Logger; destination: ReturnType<typeof Pino.destination> } | undefined;
  // pino is required on the first log line, not at start: the first line is written after the first answer has
  // been sent, so neither the mock's start-up nor its first answer waits for compiling pino (about 30 ms of CPU,
  // a tenth of a cold start). A mock that never logs (tests, library users) never loads it.
  const open = () => {
    if (opened) return opened;
    const pino = require('pino') as typeof Pino;
    const destination = pino.destination({ dest: 2, sync: false });
    opened = { logger: pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination), destination };
    return opened;
  };
  return {
    logger: {
      info(fields, message) {
        if (message === undefined) open().logger.info(fields);
        else open().logger.info(fields, message);
      },
    },
    flush: () => opened?.destination.flushSync(),
  };
}
