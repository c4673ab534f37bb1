import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redact } from '../../src/secret-redaction.js';
import { credentialHeaders } from '../../src/spec/credential-headers.js';
import { redirectTarget, sendToVendor } from '../../src/vendor/vendor-request.js';

export interface VendorRelayTarget {
  baseUrl: string;
  apiId: string;
  apiSecret: string;
}

export interface VendorRelayOptions {
  /** The credentials the relayed requests carry in place of the real key (the pact's placeholder key). */
  placeholder: { apiId: string; apiSecret: string };
  timeoutMs: number;
  maxAnswerBytes: number;
}

export interface VendorRelay {
  /** `http://127.0.0.1:<port>`: the provider base URL to give Pact's verifier. */
  url: string;
  close(): Promise<void>;
}

// Hop-by-hop or recomputed by fetch; passing them on would describe the verifier's connection, not ours.
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding']);

/** What the verifier is told when the relay has no vendor answer to pass on: a bad gateway, with why. */
const BAD_GATEWAY = 502;

/**
 * The live pact verification's way to the vendor. Pact's verifier is a native HTTP client that follows redirects
 * with every header, so it never gets the real key and never talks to the vendor: it talks to this loopback relay,
 * which puts the real key in place of the placeholder and sends through `sendToVendor` like every other vendor
 * caller (no redirect followed, the answer bounded). A request carrying other credentials ("credentials nobody
 * issued") is relayed as it came.
 */
export async function startVendorRelay(target: VendorRelayTarget, options: VendorRelayOptions): Promise<VendorRelay> {
  const names = credentialHeaders();
  const secrets = [target.apiSecret];
  const server = createServer((request, response) => {
    void relay(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(BAD_GATEWAY, { 'content-type': 'text/plain' });
      response.end(redact(`vendor relay: ${String(error)}`, secrets));
    });
  });

  async function relay(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !NOT_FORWARDED.has(name)) headers[name] = value;
    }
    if (headers[names.apiSecretLower] === options.placeholder.apiSecret) {
      headers[names.apiIdLower] = target.apiId;
      headers[names.apiSecretLower] = target.apiSecret;
    }
    const method = request.method ?? 'GET';
    // Joined as text, not resolved: a request path such as `//other.host/` stays a path on the vendor's origin.
    const url = `${target.baseUrl.replace(/\/+$/, '')}${request.url ?? '/'}`;
    const sent = await sendToVendor({
      configuredBaseUrl: target.baseUrl,
      url,
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(Buffer.concat(chunks)),
      timeoutMs: options.timeoutMs,
      maxAnswerBytes: options.maxAnswerBytes,
    });
    const fail = (why: string) =>
      response.writeHead(BAD_GATEWAY, { 'content-type': 'text/plain' }).end(redact(`vendor relay: ${why}`, secrets));
    switch (sent.kind) {
      case 'no-answer':
        return void fail(sent.message);
      case 'too-large':
        return void fail(`HTTP ${sent.httpCode}: answer larger than ${sent.limit} bytes`);
      case 'redirected':
        // Passed on without its Location: the verifier would follow it with the key.
        return void response
          .writeHead(sent.httpCode, { 'content-type': 'text/plain' })
          .end(redact(`vendor relay: ${redirectTarget(sent.location, url)}, not followed`, secrets));
      case 'answered':
        response
          .writeHead(sent.httpCode, sent.contentType ? { 'content-type': sent.contentType } : {})
          .end(redact(sent.text, secrets));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
