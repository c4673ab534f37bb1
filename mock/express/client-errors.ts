import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidArgument } from '../../src/core/answer.js';
import { renderAnswer } from '../../src/core/rendered-answer.js';

/** How long a client may take to send its headers, and its whole request; see `serverTimeouts`. */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Node's own defaults hold a stalled client for up to 5.5 minutes (60 s for headers, 300 s per request, checked
 * every 30 s). A loopback upload of a 5 MiB image takes milliseconds, so the mock ends stalled clients within
 * seconds: a CI job whose client hangs must not keep a connection and its buffers.
 */
export const serverTimeouts = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: 1_000,
} as const;

/**
 * Requests Node refuses before Express sees them (a head over the header size limit, a broken request line, a body
 * cut short, a request that timed out) would get Node's bare 431/400/408 without a body. The vendor documents only
 * JSON errors, so they get the documented 400 INVALID_ARGUMENT body instead, written straight to the socket (there
 * is no request object), and the connection is closed.
 */
export function answerClientErrors(server: Server, maxHeaderSize: number): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const rendered = renderAnswer(invalidArgument(problemOf(error, maxHeaderSize)));
    const body = JSON.stringify(rendered.body);
    socket.end(
      `HTTP/1.1 ${rendered.httpCode} ${STATUS_CODES[rendered.httpCode]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

function problemOf(error: NodeJS.ErrnoException, maxHeaderSize: number): string {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return `request headers are larger than ${maxHeaderSize} bytes`;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return `the request did not arrive whole within ${REQUEST_TIMEOUT_MS / 1000} s`;
    case 'HPE_INVALID_EOF_STATE':
      return 'the request ended before its body was complete';
    default:
      return `malformed HTTP request (${error.code ?? error.message})`;
  }
}
