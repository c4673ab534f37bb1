import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, runCli, startMockProcess, waitForStderr } from '../support/mock-process.js';
import { callPredict } from '../support/predict-request.js';

// The built CLI as a separate process: change its config file (with --watch) or send SIGHUP, then see the new
// behaviour over HTTP. Reload outcomes are read from its JSON log (stderr is a pipe, so the log is JSON).
const scratch = mkdtempSync(join(tmpdir(), 'accuauth-reload-'));
const file = makeJpeg({ width: 160, height: 160 });
const K1 = { 'x-df-api-id': 'k1', 'x-df-api-secret': 'reload-secret-k1' };
const K2 = { 'x-df-api-id': 'k2', 'x-df-api-secret': 'reload-secret-k2' };
let running: MockProcess | undefined;
let fileCount = 0;

afterEach(async () => {
  if (running) expect(await running.stop()).toBe(0);
  running = undefined;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function configFile(text: string): string {
  fileCount += 1;
  const path = join(scratch, `mock-${fileCount}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** As an editor saves: write a new file beside it, then rename it over the old one. */
function save(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const status = async (url: string, credentials = K1, headers: Record<string, string> = {}) =>
  // Faults are configured in these tests: a 500 INTERNAL_ERROR is one of the answers they expect.
  expectAnswer(await callPredict(url, { file, credentials, headers }), ANY_STATUS, { allow5xx: true }).status;
const reloads = (mock: MockProcess) => mock.stderr().match(/"msg":"config reload/g)?.length ?? 0;

describe('config reload without restart', () => {
  it('--watch: a saved change of the file is in force at the next request; counters kept while keys are unchanged', async () => {
    const path = configFile('keys:\n  - { id: k1, secret: reload-secret-k1, quota: 2 }\n');
    running = await startMockProcess({ config: path, args: ['--watch'] });
    expect(await status(running.url)).toBe('OK'); // one of k1's two calls

    save(
      path,
      'keys:\n  - { id: k1, secret: reload-secret-k1, quota: 2 }\n' +
        'scenarios:\n  - { match: { header: { X-Case: nope } }, respond: { status: DETECTION_FAILED } }\n',
    );
    await waitForStderr(running, /"replaced":\["scenarios"\],"msg":"config reloaded"/);
    expect(await status(running.url, K1, { 'x-case': 'nope' })).toBe('DETECTION_FAILED');
    // The keys did not change, so k1's count was kept: its second call is the last one.
    expect(await status(running.url)).toBe('OK');
    expect(await status(running.url)).toBe('OUT_OF_QUOTA');

    save(path, 'keys:\n  - { id: k1, secret: reload-secret-k1, quota: 2 }\n  - { id: k2, secret: reload-secret-k2 }\n');
    await waitForStderr(running, /"replaced":\["keys","scenarios"\],"counters":"restarted \(keys changed\)"/);
    expect(await status(running.url, K2)).toBe('OK');
    expect(await status(running.url, K1, { 'x-case': 'nope' })).toBe('OK'); // counters restarted, no scenario
  });

  it('SIGHUP reloads the file (no --watch needed)', async () => {
    const path = configFile('keys:\n  - { id: k1, secret: reload-secret-k1 }\n');
    running = await startMockProcess({ config: path });
    expect(await status(running.url, K2)).toBe('UNAUTHORIZED');
    writeFileSync(path, 'keys:\n  - { id: k2, secret: reload-secret-k2 }\n');
    process.kill(running.pid, 'SIGHUP');
    await waitForStderr(running, /"msg":"config reloaded"/);
    expect(await status(running.url, K2)).toBe('OK');
    expect(await status(running.url, K1)).toBe('UNAUTHORIZED');
  });

  it('a bad file is refused with a logged reason, the running config stays, and a fixed file is taken', async () => {
    const path = configFile('keys:\n  - { id: k1, secret: reload-secret-k1 }\n');
    running = await startMockProcess({ config: path, args: ['--watch'] });
    save(path, 'keys:\n  - { id: k2, secret: reload-secret-k2, rateLimit: 0 }\n');
    const log = await waitForStderr(running, /"msg":"config reload refused; the running config stays"/);
    expect(log).toContain('keys[0].rateLimit must be >= 1');
    expect(log).toMatch(/"level":50/); // error
    expect(await status(running.url)).toBe('OK');
    expect(await status(running.url, K2)).toBe('UNAUTHORIZED');

    // A YAML syntax error on the line of a running key's secret: the message quotes the line, not the secret.
    save(path, 'keys:\n  - { id: k1, secret: reload-secret-k1\n');
    await waitForStderr(running, /refused[\s\S]*refused/);
    expect(await status(running.url)).toBe('OK');

    save(path, 'keys:\n  - { id: k2, secret: reload-secret-k2 }\n');
    await waitForStderr(running, /"msg":"config reloaded"/);
    expect(await status(running.url, K2)).toBe('OK');
    expect(running.stderr()).not.toContain('reload-secret-k1');
    expect(running.stderr()).not.toContain('reload-secret-k2');
  });

  it('latency and faults change without restarting counters; seed, journal and cors say they need a restart', async () => {
    const path = configFile('keys:\n  - { id: k1, secret: reload-secret-k1, quota: 2 }\n');
    running = await startMockProcess({ config: path, args: ['--watch'] });
    expect(await status(running.url)).toBe('OK');
    save(
      path,
      'keys:\n  - { id: k1, secret: reload-secret-k1, quota: 2 }\nfaults: { internalErrorRate: 1 }\ncors: false\n',
    );
    await waitForStderr(running, /"needRestart":\["cors"\]/);
    expect(running.stderr()).toMatch(/"replaced":\["faults"\]/);
    expect(await status(running.url)).toBe('INTERNAL_ERROR'); // the second call of the quota, failed by the fault
    expect(await status(running.url)).toBe('OUT_OF_QUOTA');
    // cors needs a restart: still served.
    const preflight = await callPredict(running.url, {
      method: 'OPTIONS',
      credentials: false,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.httpCode).toBe(204);
  });

  it('an unchanged save (same content) reloads nothing', async () => {
    const text = 'keys:\n  - { id: k1, secret: reload-secret-k1 }\n';
    const path = configFile(text);
    running = await startMockProcess({ config: path, args: ['--watch'] });
    save(path, text);
    save(path, `${text}latency: { ms: 1 }\n`);
    await waitForStderr(running, /"replaced":\["latency"\]/);
    expect(reloads(running)).toBe(1);
  });

  it('--watch without --config is a usage error (exit 2)', async () => {
    const result = await runCli(['mock', '--port', '0', '--watch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--watch needs --config <file>');
  });

  it('startMock(): reloadConfig() resolves to what it did', async () => {
    const path = configFile('latency: { ms: 0 }\n');
    const mock = await startMock({ config: path });
    try {
      writeFileSync(path, 'latency: { ms: 1 }\nseed: 7\n');
      expect(await mock.reloadConfig()).toEqual({ ok: true, replaced: ['latency'], needRestart: ['seed'] });
      writeFileSync(path, 'latency: [\n');
      expect(await mock.reloadConfig()).toMatchObject({ ok: false, reason: expect.stringContaining(path) });
    } finally {
      await mock.close();
    }
    const inline = await startMock({ config: {} });
    try {
      expect(await inline.reloadConfig()).toEqual({ ok: false, reason: 'the mock was not started from a config file' });
    } finally {
      await inline.close();
    }
  });
});
