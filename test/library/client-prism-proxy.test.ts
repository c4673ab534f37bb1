import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccuAuthResponseError, createClient } from '../../src/index.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import { type RunningPrism, startPrism } from '../support/prism.js';

// Prism as a validating proxy (`--errors`) between the client and an upstream whose answer each test sets:
// shows the launcher's proxy mode reports violations in its output, and what the client makes of Prism's verdict.
let upstream: Server;
let upstreamBody = '';
let prism: RunningPrism;
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(upstreamBody));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  prism = await startPrism({ mode: 'proxy', upstream: `http://127.0.0.1:${port}`, errors: true });
});
afterAll(async () => {
  await prism?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

const client = () => createClient({ baseUrl: prism.url, apiId: 'proxy-id', apiSecret: 'proxy-secret' });

describe('the client through Prism as a validating proxy', () => {
  it('an answer as the spec says passes through unchanged, with no violation reported', async () => {
    const ok = namedExamples().get('OK')?.body;
    upstreamBody = JSON.stringify(ok);
    // With --errors a violation would have replaced the answer with Prism's 500, so resolving is the verdict.
    await expect(client().predictGender({ file: PNG_HEAD })).resolves.toEqual(ok);
    await prism.waitForOutput('Received forward response');
    expect(prism.output()).not.toContain('VIOLATIONS');
  });

  it('an answer off the spec is a violation in the output, and the client refuses what it gets back', async () => {
    upstreamBody = JSON.stringify({ status: 'OK', request_id: 'TIDe4a66115d93f4f45982ceb62d0a1eccf', extra: 1 });
    const error = await client()
      .predictGender({ file: PNG_HEAD })
      .then(
        () => new Error('resolved'),
        (rejection: unknown) => rejection,
      );
    expect(error).toBeInstanceOf(AccuAuthResponseError);
    await prism.waitForOutput('VIOLATIONS');
    expect(prism.output()).toMatch(/Request terminated with error: .*VIOLATIONS/);
  });
});
