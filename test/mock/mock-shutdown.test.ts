import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_PREFIX, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { expectAnswer } from '../support/documented-answer.js';
import { startMockProcess } from '../support/mock-process.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';
import { type RawExchange, rawRequest, uploadHead } from '../support/raw-http.js';
import { scratchFolder } from '../support/scratch-folder.js';

// A CI job stops the mock with SIGTERM (or Ctrl-C, SIGINT) and waits for it: it must exit 0 within its grace
// whatever its clients do. Requests that had arrived whole still get their answers; connections that sent nothing,
// half a head or half a body, idle kept-alive ones and the dashboard's event stream are closed. The bounds below
// are generous (grace + 3 s) for a loaded machine: the failure they catch is a mock that never exits.
const GRACE_MS = 2000;
const SLACK_MS = 3000;
const upload = fileUploadBody(makeJpeg({ width: 160, height: 160, seed: 6 }));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Clients that each hold a connection in a different way, open until the server ends them (or 30 s). */
function stuckClients(url: string): Record<string, Promise<RawExchange>> {
  const held = { timeoutMs: 30_000, waitForClose: true } as const;
  return {
    'sent nothing': rawRequest({ url, head: '', ...held }),
    'half its headers': rawRequest({
      url,
      head: `POST ${PREDICT_GENDER_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
      ...held,
    }),
    'half its body': rawRequest({ url, head: uploadHead(upload), chunks: [upload.subarray(0, 200)], ...held }),
    'an idle kept-alive connection': rawRequest({
      url,
      head: `GET ${ADMIN_PREFIX}/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      ...held,
    }),
  };
}

async function expectAllEnded(clients: Record<string, Promise<RawExchange>>): Promise<void> {
  for (const [what, exchange] of Object.entries(clients)) {
    expect((await exchange).ending, `a client that ${what}`).not.toBe('timeout');
  }
}

describe('stopping the mock process', () => {
  it('exits 0 on SIGTERM within its grace while clients hold connections every way, answering what had arrived', async () => {
    const dir = scratchFolder('shutdown');
    const config = join(dir, 'mock.yaml');
    // The latency keeps one complete upload unanswered when the signal comes.
    writeFileSync(config, 'latency:\n  ms: 1000\n');
    const mock = await startMockProcess({ config, args: ['--shutdown-grace-ms', String(GRACE_MS)] });
    const clients = stuckClients(mock.url);
    const events = fetch(`${mock.url}${ADMIN_PREFIX}/events`).then(async (response) => {
      await response.text();
      return 'ended';
    });
    const arrived = callPredict(mock.url, { body: upload, headers: { 'content-type': multipartContentType() } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = performance.now();
    const code = await mock.stop('SIGTERM');
    const stopMs = performance.now() - stopped;

    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(GRACE_MS + SLACK_MS);
    expectAnswer(await arrived, 'OK');
    await expect(events).resolves.toBe('ended');
    await expectAllEnded(clients);
  }, 30_000);

  it('exits 0 on SIGINT within its grace while clients hold connections', async () => {
    const mock = await startMockProcess({ args: ['--shutdown-grace-ms', String(GRACE_MS)] });
    const clients = stuckClients(mock.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = performance.now();
    expect(await mock.stop('SIGINT')).toBe(0);
    expect(performance.now() - stopped).toBeLessThan(GRACE_MS + SLACK_MS);
    await expectAllEnded(clients);
  }, 30_000);

  it('stops when `npm start` is stopped by its PID: the start script execs the server', async () => {
    const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      npm.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const ready = /accuauth-kit mock listening on (http:\/\/\S+)/.exec(stdout);
        if (ready?.[1]) resolve(ready[1]);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code} before the ready line:\n${stdout}`)));
    });
    expectAnswer(await callPredict(url, { body: upload, headers: { 'content-type': multipartContentType() } }), 'OK');
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    const { hostname, port } = new URL(url);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      socket.once('connect', () => {
        socket.destroy();
        resolve('still listening');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
  }, 60_000);
});

describe("startMock's close()", () => {
  it('resolves within its grace while a client holds half a body', async () => {
    const mock = await startMock({ port: 0, shutdownGraceMs: 500 });
    const clients = stuckClients(mock.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await mock.close();
    expect(performance.now() - started).toBeLessThan(500 + SLACK_MS);
    await expectAllEnded(clients);
  }, 30_000);
});
