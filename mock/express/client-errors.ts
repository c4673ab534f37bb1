import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { UnparsedCause } from '../core/client-diagnosis.js';
import type { MockCore } from '../core/mock-core.js';
import { type RenderedAnswer, renderedBodyText } from '../core/rendered-answer.js';

/** How long a client may take to send its headers, and its whole request; see `serverTimeouts`. */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** How often Node looks for clients past those timeouts, at the most. */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** What `startMock({ clientTimeouts })` may shorten (a test of slow clients), or lengthen (a slow network). */
export interface ClientTimeouts {
  headersMs?: number;
  requestMs?: number;
}

/**
 * Node's own defaults hold a stalled client for up to 5.5 minutes (60 s for headers, 300 s per request, checked
 * every 30 s). A loopback upload of a 5 MiB image takes milliseconds, so the mock ends stalled clients within
 * seconds: a CI job whose client hangs must not keep a connection and its buffers. Node only looks for them every
 * `connectionsCheckingInterval`, so that is kept well under the shortest timeout.
 */
export function serverTimeouts(overrides: ClientTimeouts = {}) {
  const headersTimeout = overrides.headersMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = overrides.requestMs ?? REQUEST_TIMEOUT_MS;
  return {
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.min(
      CONNECTIONS_CHECKING_INTERVAL_MS,
      Math.max(10, Math.floor(Math.min(headersTimeout, requestTimeout) / 4)),
    ),
  };
}

/**
 * Requests Node refuses before Express sees them (a head over the header size limit, a broken request line, a body
 * cut short, a request that timed out) would get Node's bare 431/400/408 without a body. The vendor documents only
 * JSON errors, so the core answers them the documented 400 INVALID_ARGUMENT (diagnosed and journaled like any
 * refusal), written straight to the socket (there is no response object), and the connection is closed.
 */
export function answerClientErrors(server: Server, maxHeaderSize: number, core: MockCore): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { cause, problem } = problemOf(error, maxHeaderSize, server.requestTimeout);
    core.refuseUnparsedRequest({ ...requestLineOf(error.rawPacket), cause, problem }).then(
      (rendered) => writeAndClose(socket, rendered),
      () => socket.destroy(),
    );
  });
}

function writeAndClose(socket: Duplex, rendered: RenderedAnswer): void {
  if (!socket.writable) return;
  const body = renderedBodyText(rendered);
  const extra = Object.entries(rendered.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${rendered.httpCode} ${STATUS_CODES[rendered.httpCode]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      extra +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/**
 * The method and path of the request line, when the bytes Node had read start with one; never a header (a header
 * may carry the key) and never the query string (it may too).
 */
function requestLineOf(raw: Buffer | undefined): { method?: string; path?: string } {
  const line = /^([A-Z]{1,16}) (\/[^\s?#]{0,512})/.exec(raw?.subarray(0, 600).toString('latin1') ?? '');
  return line?.[1] && line[2] ? { method: line[1], path: line[2] } : {};
}

function problemOf(
  error: NodeJS.ErrnoException,
  maxHeaderSize: number,
  requestTimeoutMs: number,
): { cause: UnparsedCause; problem: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { cause: 'headers-too-large', problem: `request headers are larger than ${maxHeaderSize} bytes` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        cause: 'incomplete-request',
        problem: `the request did not arrive whole within ${requestTimeoutMs / 1000} s`,
      };
    case 'HPE_INVALID_EOF_STATE':
      return { cause: 'incomplete-request', problem: 'the request ended before its body was complete' };
    default:
      return { cause: 'malformed-http', problem: `malformed HTTP request (${error.code ?? error.message})` };
  }
}

/**
 * Bounds of the lingering close below, after nginx's `lingering_close` (its `lingering_time` 30 s and
 * `lingering_timeout` 5 s, sized for clients across the Internet; a mock's clients are on loopback or a CI
 * network, where the rest of any upload arrives in milliseconds):
 * - at most `LINGER_MAX_MS` in all, so a client that keeps sending forever is cut off;
 * - at most `LINGER_IDLE_MS` without a byte, so a client that stopped sending but keeps its side open does not hold
 *   the socket;
 * - at most `LINGER_MAX_BYTES` discarded, a few times the largest body a client could send in good faith (the
 *   urlencoded limit is ~21 MB), so a 50 MB hostile upload is not read to its end.
 * Nothing read while lingering is kept: the bytes are counted and dropped.
 */
export const LINGER_MAX_MS = 3_000;
export const LINGER_IDLE_MS = 1_000;
export const LINGER_MAX_BYTES = 32 * 1024 * 1024;

/**
 * For an answer sent before the request's body was read to its end (an upload cut off at a limit): the answer
 * goes out with `Connection: close`, then the mock stops writing (FIN) but keeps reading and dropping what the
 * client still sends, within the bounds above, before it closes. Closing at once, with unread bytes in the socket,
 * makes the kernel reset the connection, and a client that writes its whole body before reading (Node's fetch and
 * undici) then loses the answer it had not read yet ("fetch failed", EPIPE, in a few per cent of tries when measured).
 * This is what nginx and Apache call a lingering close.
 */
export function lingerAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  const socket = req.socket;
  // Node ends an answer sent with `Connection: close` by calling the socket's destroySoon(): end, then destroy
  // as soon as the answer is written, unread bytes or not. This socket lingers instead.
  socket.destroySoon = () => lingeringClose(socket, req);
}

function lingeringClose(socket: Socket, req: IncomingMessage): void {
  let discarded = 0;
  const close = () => {
    clearTimeout(overall);
    clearTimeout(idle);
    socket.destroy();
  };
  const overall = setTimeout(close, LINGER_MAX_MS);
  const idle = setTimeout(close, LINGER_IDLE_MS);
  socket.once('close', close);
  // The client has sent everything and closed its side: nothing more to drain.
  socket.once('end', close);
  socket.end();
  // The rest of the body still arrives through Node's HTTP parser into the request: take it away from whichever
  // body parser was reading it (multer's busboy, raw-body), and drop it.
  req.unpipe();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_MAX_BYTES) close();
    else idle.refresh();
  });
  req.resume();
  socket.resume();
}
