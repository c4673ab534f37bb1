import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type Pino from 'pino';
import type { RenderedAnswer } from '../core/index.js';
import { type LogLevel, prettyLogLine } from './pretty-log-line.js';

const require = createRequire(import.meta.url);

export type { LogLevel } from './pretty-log-line.js';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export const LOG_FORMATS = ['pretty', 'json'] as const;
/** `pretty`: one human line per event; `json`: one pino JSON object per line, for CI and log collectors. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The part of a pino logger the mock uses: one structured line per request (info), a refused config reload
 * (error), a setting that needs a restart (warn), CORS preflights (debug). Any pino-compatible logger fits; one
 * with `info` only gets everything at info.
 */
export interface MockLogger {
  info(fields: object, message?: string): void;
  warn?(fields: object, message?: string): void;
  error?(fields: object, message?: string): void;
  debug?(fields: object, message?: string): void;
}

/** Logs at `level`, or at info for a logger that has only `info`. */
export function logAt(
  logger: MockLogger | undefined,
  level: 'debug' | 'warn' | 'error',
  fields: object,
  message: string,
): void {
  const method = logger?.[level];
  if (method) method.call(logger, fields, message);
  else logger?.info(fields, message);
}

export interface OwnedLogger {
  logger: MockLogger;
  /** Writes what is buffered; the mock calls it on close. */
  flush(): void;
}

export interface LogSettings {
  /** Default: `pretty` when stderr is a terminal and `CI` is not set, else `json` (see `defaultLogFormat`). */
  format?: LogFormat;
  /** Default `info`. */
  level?: LogLevel;
}

/** A person at a terminal reads lines; CI and anything reading a pipe or a file gets JSON it can parse. */
export function defaultLogFormat(stderrIsTerminal: boolean, env: NodeJS.ProcessEnv): LogFormat {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stderrIsTerminal && !ci ? 'pretty' : 'json';
}

/**
 * The default logger: written asynchronously to stderr (stdout carries only the CLI's ready line), so a request
 * never waits for a log write; JSON through pino, or one human line per event.
 */
export function stderrLogger(settings: LogSettings = {}): OwnedLogger {
  const format = settings.format ?? defaultLogFormat(process.stderr.isTTY === true, process.env);
  const level = settings.level ?? 'info';
  let opened: { write: (level: Exclude<LogLevel, 'silent'>, fields: object, message?: string) => void } | undefined;
  let destination: ReturnType<typeof Pino.destination> | undefined;
  // pino is required on the first log line, not at start: the first line is written after the first answer has
  // been sent, so neither the mock's start-up nor its first answer waits for compiling pino (about 30 ms of CPU,
  // a tenth of a cold start). A mock that never logs (tests, library users) never loads it.
  const open = () => {
    if (opened) return opened;
    const pino = require('pino') as typeof Pino;
    const sink = pino.destination({ dest: 2, sync: false });
    destination = sink;
    if (format === 'json') {
      const logger = pino({ base: null, level, timestamp: pino.stdTimeFunctions.isoTime }, sink);
      opened = {
        write: (at, fields, message) => (message === undefined ? logger[at](fields) : logger[at](fields, message)),
      };
    } else {
      opened = { write: (at, fields, message) => sink.write(`${prettyLogLine(new Date(), at, fields, message)}\n`) };
    }
    return opened;
  };
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (fields: object, message?: string): void => {
      if (LOG_LEVELS.indexOf(name) >= threshold) open().write(name, fields, message);
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    flush: () => destination?.flushSync(),
  };
}

/**
 * The request line, written once the answer has actually gone out (the configured latency included in `ms`),
 * or when the client went away first (`sent: false`). It carries the answer's `request_id` (a mock problem has
 * none) and never a header, so no secret reaches the log.
 */
export function logRequestWhenSent(
  logger: MockLogger,
  res: ServerResponse,
  request: { method: string; path: string; startedAt: number },
  rendered: RenderedAnswer,
): void {
  let logged = false;
  const write = () => {
    if (logged) return;
    logged = true;
    logger.info({
      method: request.method,
      path: request.path,
      status: rendered.status,
      httpCode: rendered.httpCode,
      ...(rendered.requestId === undefined ? {} : { request_id: rendered.requestId }),
      ms: Math.round((performance.now() - request.startedAt) * 10) / 10,
      ...(res.writableFinished ? {} : { sent: false }),
    });
  };
  res.once('finish', write);
  res.once('close', write);
}
