import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type MockRequests, type RenderedAnswer, renderedBodyText, type UnparsedCause } from '../core/index.js';
import type { ClientTimeouts } from './client-timeouts.js';
import type { OpenConnections } from './open-connections.js';

/**
 * Requests Node refuses before Express sees them (a head over the header size limit, a broken request line, a body
 * cut short, headers that did not arrive in time) would get Node's bare 431/400/408 without a body. The vendor
 * documents only JSON errors, so the core answers them the documented 400 INVALID_ARGUMENT (diagnosed and journaled
 * like any refusal), written straight to the socket (there is no response object), and the connection is closed. On
 * a connection that carried complete requests before the malformed one (pipelining), their answers go out first, in
 * order: Node reports the error as soon as it parses it, while those answers may still be on their way.
 */
export function answerClientErrors(
  server: Server,
  maxHeaderSize: number,
  core: MockRequests,
  connections: OpenConnections,
  timeouts: Required<ClientTimeouts>,
): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // A parser that failed reports the same error again for every later chunk: one answer per connection.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const { cause, problem } = problemOf(error, maxHeaderSize, timeouts);
    const line = requestLineOf(error.rawPacket);
    void connections
      .whenArrivedAnswered(socket)
      .then(() => core.refuseUnparsedRequest({ ...line, cause, problem }))
      .then(
        (rendered) => writeAndClose(socket, rendered),
        () => socket.destroy(),
      );
  });
}

function writeAndClose(socket: Duplex, rendered: RenderedAnswer): void {
  // Ended by us already: an early answer is lingering (lingerAfterAnswer) and closes the socket itself.
  if (socket.writableEnded) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = renderedBodyText(rendered);
  const extra = Object.entries(rendered.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `HTTP/1.1 ${rendered.httpCode} ${STATUS_CODES[rendered.httpCode]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      extra +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  // The rest of a header over the limit may still be arriving: closing with it unread would reset the connection
  // and could take the answer with it.
  lingeringClose(socket);
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
  timeouts: Required<ClientTimeouts>,
): { cause: UnparsedCause; problem: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { cause: 'headers-too-large', problem: `request headers are larger than ${maxHeaderSize} bytes` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      // Node's request timeout is off (client-timeouts.ts): only the headers' clock reports this.
      return {
        cause: 'incomplete-request',
        problem: `the request headers did not arrive within ${timeouts.headersMs / 1000} s`,
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
 * For an answer sent before the request's body was read to its end (an upload cut off at a limit, a body that
 * did not arrive in time): the answer
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

/** `req`: the request whose unread body is still arriving, taken from its parser and dropped. */
function lingeringClose(socket: Socket | Duplex, req?: IncomingMessage): void {
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
  socket.resume();
  if (!req) return;
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
}
