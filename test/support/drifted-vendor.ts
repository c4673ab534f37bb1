import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import { newRequestId } from '../../src/request-id.js';

/**
 * Stand-ins of the vendor on loopback for the drift tests: a proxy in front of a real upstream (the mock) that
 * changes its answers in one deliberate way, so each test knows exactly which drift the check must report; and
 * hostile ones (a redirect, an echoed secret, a gzip bomb, a huge body) that every vendor caller of the kit must
 * survive without leaking the key.
 */
export type DriftKind =
  /** Passes every answer through unchanged. */
  | 'faithful'
  /** Adds `result.extra_field` to every 200 answer. */
  | 'extra-field'
  /** Drops `result.beard` from every 200 answer. */
  | 'missing-field'
  /** Sends `result.confidence` as a string. */
  | 'changed-type'
  /** Answers NEW_STATUS where the upstream answered UNAUTHORIZED. */
  | 'new-status'
  /** Answers HTTP 403 where the upstream answered 401. */
  | 'changed-code'
  /** Replaces every 404 with a gateway's HTML page. */
  | 'html-error'
  /** Sends request ids in another format. */
  | 'request-id-format'
  /** Sends face boxes as [x, y, width, height] (a face right of centre, so width < x). */
  | 'xywh-face-box'
  /** Answers GET requests only after `slowMs`. */
  | 'slow'
  /** Answers every request as the upstream does, each after `slowMs`: a vendor on a slow night. */
  | 'sluggish'
  /** Accepts connections and never answers. */
  | 'hanging'
  /** Answers everything 503 with an HTML page, as a vendor outage would. */
  | 'down'
  /** Refuses every request with 401 UNAUTHORIZED, as for a revoked key. */
  | 'refuses-key'
  /** Answers every request 307 with a Location on `redirectTo` (another host: a sink that must hear nothing). */
  | 'redirect'
  /**
   * Echoes the secret it was sent in every JSON answer (`result.gender` "Male <secret>", a `debug` field holding
   * the request's headers) and in a response header: the kit must write it nowhere.
   */
  | 'echo-secret'
  /** Answers 200 `Content-Encoding: gzip` whose body decodes to GZIP_BOMB_DECODED_BYTES of zeros. */
  | 'gzip-bomb'
  /** Answers 200 with a JSON body of HUGE_BODY_BYTES. */
  | 'huge-body';

/** What the gzip bomb decodes to: far past any sane answer, so reading it unbounded shows in the RSS. */
export const GZIP_BOMB_DECODED_BYTES = 512 * 1024 * 1024;
/** The size of the `huge-body` answer. */
export const HUGE_BODY_BYTES = 10 * 1024 * 1024;

export interface DriftedVendor {
  url: string;
  close(): Promise<void>;
}

interface UpstreamAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

interface StandInOptions {
  /** The real upstream the stand-in alters (unused by the hostile kinds that answer on their own). */
  upstream: string;
  kind: DriftKind;
  slowMs?: number;
  /** `redirect`: the URL the Location points to. */
  redirectTo?: string;
}

export async function startDriftedVendor(options: StandInOptions): Promise<DriftedVendor> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    void answer(request, response, options).catch((error: unknown) => {
      response.writeHead(599).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // A hanging stand-in holds its connections open by design; cut them so close() returns.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, options: StandInOptions): Promise<void> {
  const { kind } = options;
  const body = await readBody(request);
  if (kind === 'hanging') return;
  if (kind === 'redirect') {
    response.writeHead(307, { location: new URL(request.url ?? '/', options.redirectTo).toString() }).end();
    return;
  }
  if (kind === 'gzip-bomb') {
    const headers = { 'content-encoding': 'gzip' };
    return send(response, { status: 200, contentType: 'application/json', body: await gzipBomb(), headers });
  }
  if (kind === 'huge-body') {
    const padding = 'x'.repeat(HUGE_BODY_BYTES);
    const huge = JSON.stringify({ status: 'OK', request_id: newRequestId(), debug: padding });
    return send(response, { status: 200, contentType: 'application/json', body: huge });
  }
  if (kind === 'down')
    return send(response, { status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' });
  if (kind === 'refuses-key') {
    // Echoes the secret it was sent, as careless vendors do: the drift check must keep it out of its reports.
    const refusal = {
      status: 'UNAUTHORIZED',
      reason: `invalid API key ${String(request.headers['x-df-api-secret'])}`,
      request_id: newRequestId(),
    };
    return send(response, { status: 401, contentType: 'application/json', body: JSON.stringify(refusal) });
  }
  if (kind === 'slow' && request.method === 'GET') await sleep(options.slowMs ?? 1000);
  if (kind === 'sluggish') await sleep(options.slowMs ?? 1000);

  const upstream = await forward(request, body, options.upstream);
  if (kind === 'echo-secret') return send(response, echoSecret(upstream, request));
  send(response, alter(upstream, kind));
}

/** The upstream's answer with the request's secret put wherever a careless vendor might put it. */
function echoSecret(upstream: UpstreamAnswer, request: IncomingMessage): UpstreamAnswer {
  const secret = String(request.headers['x-df-api-secret']);
  const headers = { 'x-echo-secret': secret };
  const json = parse(String(upstream.body));
  if (json === undefined) return { ...upstream, headers };
  const result = json.result as Record<string, unknown> | undefined;
  if (result) result.gender = `Male ${secret}`;
  json.debug = { secret, headers: request.headers };
  return { ...upstream, body: JSON.stringify(json), headers };
}

let bomb: Promise<Buffer> | undefined;

/** GZIP_BOMB_DECODED_BYTES of zeros, gzipped (about half a megabyte), made once per test file. */
function gzipBomb(): Promise<Buffer> {
  bomb ??= (async () => {
    const gzip = createGzip({ level: 9 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let written = 0; written < GZIP_BOMB_DECODED_BYTES; written += zeros.length) {
      if (!gzip.write(zeros)) await once(gzip, 'drain');
    }
    gzip.end();
    await once(gzip, 'end');
    return Buffer.concat(chunks);
  })();
  return bomb;
}

/** A server on another loopback address that must receive nothing: every request it gets is kept, to be asserted. */
export interface RequestSink {
  url: string;
  /** Each request it received: method, path and headers. */
  received: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** Starts a sink on 127.0.0.2 ("another host" on loopback), answering 200 `{}` so a follower would be satisfied. */
export async function startRequestSink(host = '127.0.0.2'): Promise<RequestSink> {
  const received: RequestSink['received'] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function alter(upstream: UpstreamAnswer, kind: DriftKind): UpstreamAnswer {
  if (kind === 'html-error' && upstream.status === 404) {
    return {
      status: 404,
      contentType: 'text/html; charset=utf-8',
      body: '<html><body><h1>404 Not Found</h1></body></html>',
    };
  }
  if (kind === 'changed-code' && upstream.status === 401) return { ...upstream, status: 403 };
  const json = parse(String(upstream.body));
  if (json === undefined) return upstream;
  const result = json.result as Record<string, unknown> | undefined;
  switch (kind) {
    case 'extra-field':
      if (result) result.extra_field = 'surprise';
      break;
    case 'missing-field':
      if (result) delete result.beard;
      break;
    case 'changed-type':
      if (result) result.confidence = String(result.confidence);
      break;
    case 'new-status':
      if (json.status === 'UNAUTHORIZED') json.status = 'NEW_STATUS';
      break;
    case 'request-id-format':
      json.request_id = 'req-12345';
      break;
    case 'xywh-face-box':
      if (result) result.face_box = [160, 150, 90, 100];
      break;
    default:
      return upstream;
  }
  return { ...upstream, body: JSON.stringify(json) };
}

async function forward(request: IncomingMessage, body: Buffer, upstream: string): Promise<UpstreamAnswer> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const reply = await fetch(new URL(request.url ?? '/', upstream), {
    method: request.method ?? 'GET',
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
  return { status: reply.status, contentType: reply.headers.get('content-type') ?? '', body: await reply.text() };
}

function send(response: ServerResponse, answer: UpstreamAnswer): void {
  response.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers }).end(answer.body);
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
