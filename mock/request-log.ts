import pino from 'pino';

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
  const destination = pino.destination({ dest: 2, sync: false });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return { logger, flush: () => destination.flushSync() };
}
