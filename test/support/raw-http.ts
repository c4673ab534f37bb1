import { connect } from 'node:net';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { multipartContentType } from './multipart-body.js';
import { type Answer, TEST_CREDENTIALS } from './predict-request.js';

/**
 * HTTP/1.1 over a bare TCP socket, for the requests fetch refuses to send: bodies shorter than their
 * Content-Length, bodies that trickle or never end, malformed heads. It records when the answer came relative to
 * what had been sent, and how the server ended the connection.
 */
export interface RawRequestOptions {
  /** The server's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** Request line and headers, sent first; `\r\n\r\n` is not added. */
  head: string | Buffer;
  /** The body, in the chunks to send. */
  chunks?: Iterable<Buffer>;
  /** Pause between chunks. */
  chunkDelayMs?: number;
  /** Stop sending once the answer has arrived (a real client does, once the server has said no). Default true. */
  stopOnAnswer?: boolean;
  /** Half-close (FIN) after the last chunk: a client that stops sending before its Content-Length is reached. */
  endAfterSending?: boolean;
  /**
   * Stop sending once this many bytes went out without an answer, then wait at most `stalledWaitMs` more: proves
   * "no answer before the limit was long passed" without pushing the whole hostile body through a server that
   * fails to answer early.
   */
  giveUpAfterBytes?: number;
  stalledWaitMs?: number;
  /** Keep listening after the answer until the server ends the connection (to see how it ends). Default false. */
  waitForClose?: boolean;
  /** Give up waiting for the server after this long. */
  timeoutMs?: number;
}

export interface RawExchange {
  answer?: Answer;
  bytesSent: number;
  /** Bytes of the body+head sent when the answer had fully arrived. */
  bytesSentAtAnswer?: number;
  sentAll: boolean;
  /**
   * How the exchange ended: the server closed the connection (FIN), reset it, it was still open at the timeout, or
   * (without waitForClose) the answer had arrived and the client stopped listening.
   */
  ending: 'closed' | 'reset' | 'timeout' | 'answered';
  /** Milliseconds from connect to the answer, and to the end of the connection. */
  answerMs?: number;
  endMs: number;
}

export function rawRequest(options: RawRequestOptions): Promise<RawExchange> {
  const { hostname, port } = new URL(options.url);
  const socket = connect({ host: hostname, port: Number(port) });
  const started = performance.now();
  const received: Buffer[] = [];
  const exchange: RawExchange = { bytesSent: 0, sentAll: false, ending: 'timeout', endMs: 0 };
  let finished = false;

  return new Promise<RawExchange>((resolve) => {
    const finish = (ending: RawExchange['ending']) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      exchange.ending = ending;
      exchange.endMs = performance.now() - started;
      socket.destroy();
      resolve(exchange);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (exchange.answer) return;
      const answer = parseAnswer(Buffer.concat(received));
      if (answer) {
        exchange.answer = answer;
        exchange.bytesSentAtAnswer = exchange.bytesSent;
        exchange.answerMs = performance.now() - started;
        if (!options.waitForClose) finish('answered');
      }
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', (hadError) => finish(hadError ? 'reset' : 'closed'));
    socket.on('error', () => finish('reset'));
    socket.once('connect', () => {
      void send();
    });

    const write = (data: Buffer): Promise<void> =>
      new Promise((done) => {
        if (finished || socket.destroyed) return done();
        socket.write(data, () => done());
        exchange.bytesSent += data.length;
      });
    const send = async () => {
      await write(typeof options.head === 'string' ? Buffer.from(options.head, 'latin1') : options.head);
      for (const chunk of options.chunks ?? []) {
        if (finished || ((options.stopOnAnswer ?? true) && exchange.answer)) return;
        if (options.giveUpAfterBytes !== undefined && exchange.bytesSent > options.giveUpAfterBytes) {
          setTimeout(() => finish('timeout'), options.stalledWaitMs ?? 2000);
          return;
        }
        await write(chunk);
        if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
      }
      exchange.sentAll = !finished;
      if (exchange.sentAll && options.endAfterSending) socket.end();
    };
  });
}

/** A complete HTTP/1.1 answer in `data` (Content-Length or chunked body), or undefined while it is incomplete. */
export function parseAnswer(data: Buffer): Answer | undefined {
  return parseAnswerAndEnd(data)?.answer;
}

/** Every complete answer at the start of `data`, in order (a pipelined connection's answers). */
export function parseAnswers(data: Buffer): Answer[] {
  const answers: Answer[] = [];
  let rest = data;
  for (let parsed = parseAnswerAndEnd(rest); parsed; parsed = parseAnswerAndEnd(rest)) {
    answers.push(parsed.answer);
    rest = rest.subarray(parsed.end);
  }
  return answers;
}

/**
 * Writes `data` (several requests back to back: pipelining) on one connection and reads until the server closes
 * it or `timeoutMs` passes: every answer it sent, in order.
 */
export function pipelinedRequests(
  url: string,
  data: Buffer,
  timeoutMs = 10_000,
): Promise<{ answers: Answer[]; ending: RawExchange['ending'] }> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  const received: Buffer[] = [];
  return new Promise((resolve) => {
    let done = false;
    const finish = (ending: RawExchange['ending']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers: parseAnswers(Buffer.concat(received)), ending });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish('closed'));
    socket.on('close', (hadError) => finish(hadError ? 'reset' : 'closed'));
    socket.on('error', () => finish('reset'));
    socket.once('connect', () => socket.write(data));
  });
}

function parseAnswerAndEnd(data: Buffer): { answer: Answer; end: number } | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const httpCode = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(headEnd + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const body: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(rest.subarray(offset, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        return {
          answer: { httpCode, headers, text: Buffer.concat(body).toString('utf8') },
          end: headEnd + 4 + lineEnd + 4,
        };
      }
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      body.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (rest.length < length) return undefined;
  return { answer: { httpCode, headers, text: rest.subarray(0, length).toString('utf8') }, end: headEnd + 4 + length };
}

/** The head of a POST with the given headers (names sent exactly as written, so odd casing survives). */
export function postHead(path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** The head of an upload of the multipart `body` with the test credentials, as a raw client sends it first. */
export function uploadHead(body: Buffer): string {
  return postHead(PREDICT_GENDER_PATH, {
    ...TEST_CREDENTIALS,
    'Content-Type': multipartContentType(),
    'Content-Length': body.length,
  });
}
