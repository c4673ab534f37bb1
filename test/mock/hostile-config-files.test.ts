import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MockConfigError, type MockLogger, startMock } from '../../mock/index.js';
import { createMswHandlers } from '../../mock/msw/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { MAX_CASSETTE_BYTES, MAX_CONFIG_BYTES } from '../../src/regular-file-read.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runDriftCommand } from '../support/drift-command-run.js';
import { type MockProcess, runCli, startMockProcess, waitForStderr } from '../support/mock-process.js';
import { useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

/**
 * Paths that are not files (a device that never ends, a FIFO that blocks its reader, a directory), files too large
 * to be a config or a cassette, a YAML error on the line holding a secret, and an editor truncating the config a
 * mock watches: each is refused, or kept out, by name, and the mock never opens up.
 */
let dir: string;
let fifo: string;
let directory: string;
const huge = { config: '', cassette: '' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accuauth-hostile-files-'));
  fifo = join(dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  directory = join(dir, 'folder.yaml');
  mkdirSync(directory);
  // Sparse: the size is there without the bytes, so the test writes nothing large.
  huge.config = join(dir, 'huge.yaml');
  writeFileSync(huge.config, '');
  truncateSync(huge.config, MAX_CONFIG_BYTES + 1);
  huge.cassette = join(dir, 'huge-cassette.yaml');
  writeFileSync(huge.cassette, '');
  truncateSync(huge.cassette, MAX_CASSETTE_BYTES + 1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notFiles = () => [
  { path: '/dev/zero', kind: 'a character device' },
  { path: fifo, kind: 'a FIFO (named pipe)' },
  { path: directory, kind: 'a directory' },
];

function configNaming(cassette: string): string {
  const path = join(dir, `cassettes-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `cassettes: [${JSON.stringify(cassette)}]\n`);
  return path;
}

describe('config and cassette paths must be regular files of sane size', () => {
  it('mock --config refuses a device, a FIFO and a directory with exit 2 naming the path, before it listens', async () => {
    for (const { path, kind } of notFiles()) {
      const run = await runCli(['mock', '--port', '0', '--config', path]);
      expect(run.code, path).toBe(2);
      expect(run.stderr).toContain(`${path}: cannot read the config file: it is ${kind}, not a regular file`);
      expect(run.stdout).toBe('');
    }
  });

  it("mock refuses the same as --cassette and as a config's cassettes:, exit 2 naming the path", async () => {
    for (const { path, kind } of notFiles()) {
      for (const args of [
        ['--cassette', path],
        ['--config', configNaming(path)],
      ]) {
        const run = await runCli(['mock', '--port', '0', ...args]);
        expect(run.code, `${args.join(' ')}`).toBe(2);
        expect(run.stderr).toContain(`${path}: cannot read the cassette: it is ${kind}, not a regular file`);
      }
    }
  });

  it('refuses a config over 10 MiB and a cassette over 64 MiB by their size, before reading them', async () => {
    await expect(startMock({ port: 0, config: huge.config })).rejects.toThrow(
      `${huge.config}: cannot read the config file: it is ${MAX_CONFIG_BYTES + 1} bytes; a config file may have at most ${MAX_CONFIG_BYTES} bytes`,
    );
    await expect(startMock({ port: 0, cassettes: [huge.cassette] })).rejects.toThrow(
      `it is ${MAX_CASSETTE_BYTES + 1} bytes; a cassette may have at most ${MAX_CASSETTE_BYTES} bytes`,
    );
  });

  it('the MSW handlers refuse a FIFO as config or cassette with a MockConfigError naming it', () => {
    expect(() => createMswHandlers({ config: fifo })).toThrow(MockConfigError);
    expect(() => createMswHandlers({ config: fifo })).toThrow(`${fifo}: cannot read the config file: it is a FIFO`);
    expect(() => createMswHandlers({ cassettes: ['/dev/zero'] })).toThrow(
      '/dev/zero: cannot read the cassette: it is a character device',
    );
  });

  describe('drift', () => {
    const KEY = { id: 'files-key', secret: 'files-secret-7e21' };
    const upstream = useMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } });
    const env = () => ({ ACCUAUTH_BASE_URL: upstream.url, ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret });

    it('--config and --cassette refuse a device and a FIFO: could not check, exit 2, the path named', async () => {
      for (const { path, kind } of notFiles().slice(0, 2)) {
        const out = mkdtempSync(join(dir, 'drift-'));
        const config = await runDriftCommand(['--out', out, '--config', path], env());
        expect(config.exitCode, path).toBe(2);
        expect(config.stderr).toContain(`${path}: cannot read the config file: it is ${kind}`);
        const cassette = await runDriftCommand(['--out', out, '--timeout-ms', '5000', '--cassette', path], env());
        expect(cassette.exitCode, path).toBe(2);
        expect(cassette.stderr).toContain(`${path}: cannot read the cassette: it is ${kind}`);
      }
    });
  });
});

const SECRET_ON_THE_LINE = 'yaml-line-secret-4b9d';
const RUNNING_SECRET = 'running-secret-a17c';
/** The syntax error is on the line that holds the secret, the line the parser's message quotes. */
const BROKEN = `keys:\n  - id: k1\n    secret: ${SECRET_ON_THE_LINE}: broken\n`;
const BROKEN_FLOW = `keys: [{id: k1, secret: "${SECRET_ON_THE_LINE}", quota: [}]\n`;

function capturingLogger(): { logger: MockLogger; lines: string[] } {
  const lines: string[] = [];
  const keep = (fields: object, message: string) => lines.push(`${message} ${JSON.stringify(fields)}`);
  return { logger: { info: keep, warn: keep, error: keep }, lines };
}

describe('a YAML syntax error never quotes a secret', () => {
  it('at start: the CLI names the file and line and shows [REDACTED] where the secret was', async () => {
    for (const text of [BROKEN, BROKEN_FLOW]) {
      const path = join(dir, 'broken-start.yaml');
      writeFileSync(path, text);
      const run = await runCli(['mock', '--port', '0', '--config', path]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${path}: not valid YAML or JSON`);
      expect(run.stderr).toMatch(/at line \d+, column \d+ \(the line reads .*secret: \[REDACTED\]/);
      expect(run.stderr).not.toContain(SECRET_ON_THE_LINE);
    }
  });

  it("on reload: neither the running secrets nor the file's are in the log or the outcome; the config stays", async () => {
    const path = join(dir, 'broken-reload.yaml');
    writeFileSync(path, `keys:\n  - { id: k1, secret: ${RUNNING_SECRET} }\n`);
    const { logger, lines } = capturingLogger();
    const mock = await startMock({ port: 0, config: path, log: logger });
    try {
      // The running secret on the broken line too: it is known, though the file is not readable.
      writeFileSync(path, `keys:\n  - id: k1\n    password: ${RUNNING_SECRET} ${SECRET_ON_THE_LINE}: x\n`);
      const outcome = await mock.reloadConfig();
      expect(outcome.ok).toBe(false);
      const said = `${JSON.stringify(outcome)}\n${lines.join('\n')}`;
      expect(said).toContain('not valid YAML or JSON');
      expect(said).toContain('[REDACTED]');
      expect(said).not.toContain(SECRET_ON_THE_LINE);
      expect(said).not.toContain(RUNNING_SECRET);
      const credentials = { 'x-df-api-id': 'k1', 'x-df-api-secret': RUNNING_SECRET };
      expectAnswer(await callPredict(mock.url, { credentials, file: makeJpeg({ width: 140, height: 140 }) }), 'OK');
    } finally {
      await mock.close();
    }
  });
});

describe('a reload never opens the mock by accident', () => {
  const file = makeJpeg({ width: 150, height: 150, seed: 5 });
  const K1 = { 'x-df-api-id': 'k1', 'x-df-api-secret': 'watch-secret-k1' };
  const STRANGER = { 'x-df-api-id': 'anyone', 'x-df-api-secret': 'anything' };
  let running: MockProcess | undefined;
  afterEach(async () => {
    if (running) expect(await running.stop()).toBe(0);
    running = undefined;
  });

  it('--watch: a truncated config keeps the running keys and says why; removing every key says so loudly', async () => {
    const path = join(dir, 'watched.yaml');
    writeFileSync(path, 'keys:\n  - { id: k1, secret: watch-secret-k1 }\n');
    running = await startMockProcess({ config: path, args: ['--watch'] });
    expectAnswer(await callPredict(running.url, { credentials: STRANGER, file }), 'UNAUTHORIZED');

    // What many editors do first when they save: truncate the file in place.
    truncateSync(path, 0);
    await waitForStderr(
      running,
      /holds no config \(it is empty, blank or only comments\).*config reload refused; the running config stays/,
    );
    expectAnswer(await callPredict(running.url, { credentials: STRANGER, file }), 'UNAUTHORIZED');
    expectAnswer(await callPredict(running.url, { credentials: K1, file }), 'OK');

    // Only comments: no document either.
    writeFileSync(path, '# keys come later\n');
    const mock = running;
    await expect.poll(() => mock.stderr().match(/holds no config/g)?.length ?? 0, { timeout: 10_000 }).toBe(2);
    expectAnswer(await callPredict(running.url, { credentials: STRANGER, file }), 'UNAUTHORIZED');

    // A real config without keys is the user's choice: applied, with a warning no one can miss.
    writeFileSync(path, 'seed: 3\n');
    await waitForStderr(running, /"level":40.*config reload removed every key: the mock now accepts ANY non-empty/);
    expectAnswer(await callPredict(running.url, { credentials: STRANGER, file }), 'OK');
  });

  it('a config path turned into a FIFO is refused on reload by name, and the mock keeps serving', async () => {
    const path = join(dir, 'swapped.yaml');
    writeFileSync(path, 'keys:\n  - { id: k1, secret: watch-secret-k1 }\n');
    const mock = await startMock({ port: 0, config: path });
    try {
      const pipe = join(dir, 'swapped-pipe');
      execFileSync('mkfifo', [pipe]);
      renameSync(pipe, path);
      const outcome = await mock.reloadConfig();
      expect(outcome).toEqual({
        ok: false,
        reason: `${path}: cannot read the config file: it is a FIFO (named pipe), not a regular file`,
      });
      expectAnswer(await callPredict(mock.url, { credentials: STRANGER, file }), 'UNAUTHORIZED');
    } finally {
      await mock.close();
    }
  });
});
