import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request exactly as a proxy in front of the tap forwarded it. */
export interface ForwardedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

export interface RecordingTap {
  /** `http://127.0.0.1:<port>`: give it to the proxy as its upstream. */
  url: string;
  /** Every request forwarded through the tap so far, oldest first. */
  forwarded(): readonly ForwardedRequest[];
  /** Sends what follows to another upstream (the referee points it at a deliberately drifted one). */
  pointAt(upstream: string): void;
  close(): Promise<void>;
}

// Hop-by-hop or recomputed by fetch; passing them on would describe the original connection, not ours.
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding']);

/**
 * A pass-through server on loopback between a proxy under test and its upstream. It records every request byte for
 * byte, so a test knows whether the proxy forwarded a request at all and what it really sent: Prism's proxy reads
 * request bodies as UTF-8 text, so it can change what it forwards.
 */
export async function startRecordingTap(upstream: string): Promise<RecordingTap> {
  let target = upstream;
  const seen: ForwardedRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const forwarded = await record(request);
      seen.push(forwarded);
      const answer = await send(forwarded, target);
      response.writeHead(answer.httpCode, { 'content-type': answer.contentType }).end(answer.body);
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' }).end(`recording tap: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded: () => seen,
    pointAt(next) {
      target = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReplayedAnswer {
  httpCode: number;
  contentType: string;
  body: Buffer;
}

/** Sends a recorded request to `upstream` as it was recorded: the answer the upstream gives those very bytes. */
export async function send(request: ForwardedRequest, upstream: string): Promise<ReplayedAnswer> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const reply = await fetch(new URL(request.path, upstream), {
    method: request.method,
    headers: request.headers,
    ...(hasBody ? { body: new Uint8Array(request.body) } : {}),
    redirect: 'manual',
  });
  return {
    httpCode: reply.status,
    contentType: reply.headers.get('content-type') ?? '',
    body: Buffer.from(await reply.arrayBuffer()),
  };
}

async function record(request: IncomingMessage): Promise<ForwardedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !NOT_FORWARDED.has(name)) headers[name] = value;
  }
  return { method: request.method ?? 'GET', path: request.url ?? '/', headers, body: Buffer.concat(chunks) };
}
