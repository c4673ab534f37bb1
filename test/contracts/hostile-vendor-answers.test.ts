import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCommand } from '../../cli/record-command.js';
import { startVendorRelay } from '../../contracts/pact/vendor-relay.js';
import { type RunningMock, startMock } from '../../mock/start-mock.js';
import { parseCassette, type Recording } from '../../src/cassette/cassette.js';
import { AccuAuthResponseError, createClient } from '../../src/client/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../src/vendor/vendor-request.js';
import { type CommandRun, runCommandInProcess, runDriftCommand } from '../support/drift-command-run.js';
import {
  type DriftedVendor,
  type RequestSink,
  startDriftedVendor,
  startRequestSink,
} from '../support/drifted-vendor.js';
import { type MockProcess, runCli, startMockProcess } from '../support/mock-process.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';
import { processMemory, rssGrowth } from '../support/process-memory.js';

/**
 * Every caller of a vendor in the kit (record, drift's probes and its cassette re-check, the recording proxy, the
 * typed client) against hostile stand-ins on loopback: a vendor that redirects to another host (127.0.0.2, a sink
 * that must hear nothing), one that echoes the secret everywhere (no file or answer the kit writes may hold it),
 * a gzip bomb and a 10 MB body (bounded reads, bounded memory, bounded reports).
 */
const KEY = { id: 'hostile-id', secret: 'hostile-secret-8e41c07d2b' };
const ENV = { ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
const CREDENTIALS = { 'x-df-api-id': KEY.id, 'x-df-api-secret': KEY.secret };
const TOO_LARGE = `answer larger than ${DEFAULT_MAX_ANSWER_BYTES} bytes`;
const face = makeJpeg({ width: 320, height: 320, seed: 1801 });

let dir: string;
let image: string;
let upstream: RunningMock;
let sink: RequestSink;
let redirecting: DriftedVendor;
let echoing: DriftedVendor;
let bomb: DriftedVendor;
let huge: DriftedVendor;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-hostile-vendor-'));
  image = join(dir, 'faces', 'face.jpg');
  await mkdir(join(dir, 'faces'));
  await writeFile(image, face);
  upstream = await startMock({ port: 0, config: { keys: [{ ...KEY }] } });
  sink = await startRequestSink();
  redirecting = await startDriftedVendor({ upstream: upstream.url, kind: 'redirect', redirectTo: sink.url });
  echoing = await startDriftedVendor({ upstream: upstream.url, kind: 'echo-secret' });
  bomb = await startDriftedVendor({ upstream: upstream.url, kind: 'gzip-bomb' });
  huge = await startDriftedVendor({ upstream: upstream.url, kind: 'huge-body' });
});
afterAll(async () => {
  await Promise.all([upstream, sink, redirecting, echoing, bomb, huge].map((server) => server?.close()));
  // The sink is checked once more at the end: no caller, in any test, sent it anything.
  expect(sink.received).toEqual([]);
  await rm(dir, { recursive: true, force: true });
});

function record(args: readonly string[]): Promise<CommandRun> {
  return runCommandInProcess('record', recordCommand, ['--images', image, ...args], ENV);
}

/** Every file under `root`, with its text. */
async function filesUnder(root: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
}

/** The recordings of a cassette's text; a cassette that does not parse fails the test with its reason. */
function recordingsIn(text: string): Recording[] {
  const read = parseCassette(text);
  if (!read.ok) throw new Error(read.reason);
  return read.cassette.recordings;
}

/** The drift report's findings, all probes together. */
async function findingsIn(out: string, probe?: string): Promise<string[]> {
  const report = JSON.parse(await readFile(join(out, 'drift-report.json'), 'utf8')) as {
    probes: { probe: string; findings: string[] }[];
  };
  return report.probes
    .filter((entry) => probe === undefined || entry.probe === probe)
    .flatMap((entry) => entry.findings);
}

describe('record against a hostile vendor', () => {
  it('names a redirect for the image, records nothing, and the redirect target hears nothing', async () => {
    const out = join(dir, 'record-redirect.yaml');
    const run = await record(['--out', out, '--base-url', redirecting.url]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`not recorded: ${image}: HTTP 307 redirecting to ${sink.url}, not followed`);
    expect(existsSync(out)).toBe(false);
    expect(sink.received).toEqual([]);
  });

  it('writes an echoed secret nowhere: the cassette holds [REDACTED] where the vendor put the secret', async () => {
    const out = join(dir, 'record-echo.yaml');
    const run = await record(['--out', out, '--base-url', echoing.url]);
    expect(run.exitCode).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain(KEY.secret);
    const [recording] = recordingsIn(text);
    expect(recording?.answer.body).toMatchObject({ result: { gender: 'Male [REDACTED]' } });
    expect(run.stderr).not.toContain(KEY.secret);
  });

  it('stops a gzip bomb at the bound, naming the image, with bounded memory; --max-answer-bytes sets the bound', async () => {
    const out = join(dir, 'record-bomb.yaml');
    const { result: run, growth } = await rssGrowth(() => record(['--out', out, '--base-url', bomb.url]));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`not recorded: ${image}: HTTP 200: ${TOO_LARGE}, not read further`);
    expect(growth).toBeLessThan(128 * 1024 * 1024);
    expect(existsSync(out)).toBe(false);

    // An ordinary OK answer is a few hundred bytes: a 100-byte bound refuses it.
    const small = await record(['--out', out, '--base-url', upstream.url, '--max-answer-bytes', '100']);
    expect(small.exitCode).toBe(1);
    expect(small.stderr).toContain(`not recorded: ${image}: HTTP 200: answer larger than 100 bytes`);
  });
});

describe('drift against a hostile vendor', () => {
  it('reports a redirect as a finding, for the probes and the cassette re-check, and follows none', async () => {
    const cassette = join(dir, 'drift-cassette.yaml');
    expect((await record(['--out', cassette, '--base-url', upstream.url])).exitCode).toBe(0);
    const out = join(dir, 'drift-redirect');
    const run = await runDriftCommand(['--base-url', redirecting.url, '--out', out, '--cassette', cassette], ENV);
    expect(run.exitCode).toBe(1);
    const findings = await findingsIn(out);
    const redirect = `HTTP 307 redirecting to ${sink.url}, not followed`;
    expect(findings).toContain(redirect);
    // The cassette image's finding sits under its probe, `cassette: <path>`, which names the image.
    expect(await findingsIn(out, 'cassette: faces/face.jpg')).toContain(redirect);
    expect(sink.received).toEqual([]);
  });

  it('writes an echoed secret into no report file', async () => {
    const out = join(dir, 'drift-echo');
    const cassette = join(dir, 'drift-cassette-echo.yaml');
    expect((await record(['--out', cassette, '--base-url', upstream.url])).exitCode).toBe(0);
    const run = await runDriftCommand(['--base-url', echoing.url, '--out', out, '--cassette', cassette], ENV);
    expect(run.exitCode).toBe(1);
    const files = await filesUnder(out);
    expect(files.map((file) => file.path.slice(out.length + 1)).sort()).toEqual([
      'drift-junit.xml',
      'drift-report.html',
      'drift-report.json',
      'drift-summary.md',
    ]);
    for (const file of files) expect(file.text, file.path).not.toContain(KEY.secret);
    expect(files.find((file) => file.path.endsWith('.json'))?.text).toContain('[REDACTED]');
    expect(run.stdout + run.stderr).not.toContain(KEY.secret);
  });

  it('stops a gzip bomb at the bound with bounded memory: a finding, not gigabytes', async () => {
    const out = join(dir, 'drift-bomb');
    const { result: run, growth } = await rssGrowth(() => runDriftCommand(['--base-url', bomb.url, '--out', out], ENV));
    expect(run.exitCode).toBe(1);
    expect(await findingsIn(out)).toContain(TOO_LARGE);
    expect(growth).toBeLessThan(192 * 1024 * 1024);
  });

  it('keeps report files small when every answer is 10 MB; --max-answer-bytes sets the bound', async () => {
    const out = join(dir, 'drift-huge');
    const run = await runDriftCommand(['--base-url', huge.url, '--out', out], ENV);
    expect(run.exitCode).toBe(1);
    expect(await findingsIn(out)).toContain(TOO_LARGE);
    const lower = join(dir, 'drift-huge-lower');
    const bounded = await runDriftCommand(['--base-url', huge.url, '--out', lower, '--max-answer-bytes', '65536'], ENV);
    expect(bounded.exitCode).toBe(1);
    expect(await findingsIn(lower)).toContain('answer larger than 65536 bytes');
    for (const name of await readdir(out)) {
      expect((await stat(join(out, name))).size, name).toBeLessThan(1024 * 1024);
    }
  });
});

describe('the recording proxy in front of a hostile vendor', () => {
  async function proxyTo(
    target: string,
    name: string,
    args: readonly string[] = [],
  ): Promise<{ proxy: MockProcess; cassette: string }> {
    const cassette = join(dir, `${name}.yaml`);
    const proxy = await startMockProcess({ args: ['--proxy', target, '--record', cassette, ...args] });
    return { proxy, cassette };
  }

  async function recordings(cassette: string): Promise<number> {
    return existsSync(cassette) ? recordingsIn(await readFile(cassette, 'utf8')).length : 0;
  }

  it('takes --max-answer-bytes only with --proxy', async () => {
    const run = await runCli(['mock', '--port', '0', '--max-answer-bytes', '4096']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-answer-bytes needs --proxy URL');
  });

  it('relays a redirect without its Location, follows nothing and records nothing', async () => {
    const { proxy, cassette } = await proxyTo(redirecting.url, 'proxy-redirect');
    try {
      const answer = await callPredict(proxy.url, { file: face, credentials: CREDENTIALS });
      expect(answer.httpCode).toBe(307);
      expect(answer.headers).not.toHaveProperty('location');
      const body = JSON.parse(answer.text) as { status: string; reason: string; request_id: string };
      expect(body.status).toBe('INTERNAL_ERROR');
      expect(body.reason).toContain(`answered HTTP 307 redirecting to ${sink.url}, not followed`);
      expect(body.request_id).toMatch(/^TID[0-9a-f]{32}$/);
    } finally {
      await proxy.stop();
    }
    expect(await recordings(cassette)).toBe(0);
    expect(sink.received).toEqual([]);
  });

  it('writes an echoed secret into no answer, cassette, journal, admin answer or log', async () => {
    const { proxy, cassette } = await proxyTo(echoing.url, 'proxy-echo');
    const seen: string[] = [];
    try {
      const answer = await callPredict(proxy.url, { file: face, credentials: CREDENTIALS });
      expect(answer.httpCode).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ result: { gender: 'Male [REDACTED]' } });
      seen.push(answer.text, JSON.stringify(answer.headers));
      // Replayed from the cassette the second time: the replay must be as clean.
      seen.push((await callPredict(proxy.url, { file: face, credentials: CREDENTIALS })).text);
      for (const route of ['/requests', '/config', '/keys', '/scenarios', '/settings', '/statuses']) {
        seen.push((await admin(proxy.url, 'GET', route)).text);
      }
    } finally {
      await proxy.stop();
    }
    expect(await recordings(cassette)).toBe(1);
    seen.push(await readFile(cassette, 'utf8'), proxy.stderr());
    for (const text of seen) expect(text).not.toContain(KEY.secret);
    expect(seen.join('\n')).toContain('[REDACTED]');
  });

  it('answers a gzip bomb, a 10 MB body and one past --max-answer-bytes with INTERNAL_ERROR, records nothing, and its peak RSS barely moves', async () => {
    for (const [target, name, args, tooLarge] of [
      [bomb.url, 'proxy-bomb', [], TOO_LARGE],
      [huge.url, 'proxy-huge', [], TOO_LARGE],
      // An honest OK answer is a few hundred bytes: --max-answer-bytes 100 refuses it.
      [upstream.url, 'proxy-bounded', ['--max-answer-bytes', '100'], 'answer larger than 100 bytes'],
    ] as const) {
      const { proxy, cassette } = await proxyTo(target, name, args);
      try {
        const before = processMemory(proxy.pid)?.peakRss ?? 0;
        const answer = await callPredict(proxy.url, { file: face, credentials: CREDENTIALS });
        const after = processMemory(proxy.pid)?.peakRss ?? Number.POSITIVE_INFINITY;
        expect(answer.httpCode, name).toBe(500);
        const body = JSON.parse(answer.text) as { status: string; reason: string; request_id: string };
        expect(body.status).toBe('INTERNAL_ERROR');
        expect(body.reason).toContain(`HTTP 200: ${tooLarge}`);
        expect(body.request_id).toMatch(/^TID[0-9a-f]{32}$/);
        expect(after - before, name).toBeLessThan(64 * 1024 * 1024);
      } finally {
        await proxy.stop();
      }
      expect(await recordings(cassette)).toBe(0);
    }
  });
});

describe('the typed client against a hostile vendor', () => {
  const client = (baseUrl: string) => createClient({ baseUrl, apiId: KEY.id, apiSecret: KEY.secret });

  it('refuses a redirect with an AccuAuthResponseError and sends nothing to its Location', async () => {
    const error = await client(redirecting.url)
      .predictGender({ file: face })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccuAuthResponseError);
    expect(error).toMatchObject({ problem: 'redirect', httpCode: 307 });
    expect((error as Error).message).toContain(`HTTP 307 redirecting to ${sink.url}, not followed`);
    expect(sink.received).toEqual([]);
  });

  it('stops a gzip bomb at the bound with a too-large error', async () => {
    const error = await client(bomb.url)
      .predictGender({ file: face })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccuAuthResponseError);
    expect(error).toMatchObject({ problem: 'too-large', httpCode: 200 });
    expect((error as Error).message).toContain(TOO_LARGE);
  });

  it('keeps an echoed secret out of what it returns or throws', async () => {
    const outcome = await client(echoing.url)
      .predictGender({ file: face })
      .then(
        (answer) => JSON.stringify(answer),
        (error: unknown) => `${String(error)} ${JSON.stringify(error)}`,
      );
    expect(outcome).not.toContain(KEY.secret);
  });
});

describe("the live pact verification's relay in front of a hostile vendor", () => {
  const placeholder = { apiId: 'placeholder-id', apiSecret: 'placeholder-secret-0c5e' };

  it('passes a redirect on without its Location, follows nothing, and keeps an echoed secret out', async () => {
    for (const target of [redirecting, echoing]) {
      const relay = await startVendorRelay(
        { baseUrl: target.url, apiId: KEY.id, apiSecret: KEY.secret },
        { placeholder, timeoutMs: 10_000, maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES },
      );
      try {
        const credentials = { 'x-df-api-id': placeholder.apiId, 'x-df-api-secret': placeholder.apiSecret };
        const answer = await callPredict(relay.url, { file: face, credentials });
        if (target === redirecting) {
          expect(answer.httpCode).toBe(307);
          expect(answer.headers).not.toHaveProperty('location');
          expect(answer.text).toContain(`redirecting to ${sink.url}, not followed`);
        } else {
          // The placeholder was swapped for the real key (the upstream accepted it), whose echo is redacted.
          expect(answer.httpCode).toBe(200);
          expect(answer.text).toContain('Male [REDACTED]');
        }
        expect(answer.text).not.toContain(KEY.secret);
      } finally {
        await relay.close();
      }
    }
    expect(sink.received).toEqual([]);
  });
});
