import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILE_NAMES } from '../../mock/admin/dashboard/dashboard-files.js';
import { buildStandaloneExecutable, seaBuildSupport } from '../../scripts/build-sea.js';
import type { Cassette } from '../../src/cassette/cassette.js';
import { serializeCassette } from '../../src/cassette/cassette.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { httpCodeOf } from '../../src/spec/error-catalogue.js';
import { expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, runCli, startMockProcess } from '../support/mock-process.js';
import { callPredict } from '../support/predict-request.js';

// `accuauth-kit mock` as one executable for CI images without Node (npm run build:sea): built once for this file
// from the sources, moved into a folder that holds nothing else, run with an empty environment (no PATH, so no
// `node` to fall back on), and judged over real HTTP like the package's CLI.
const support = await seaBuildSupport();
if (!support.ok) process.stderr.write(`[skipped] standalone executable: ${support.reason}\n`);

const root = new URL('../../', import.meta.url);
const pageFile = (name: string) => readFileSync(new URL(`mock/admin/dashboard/page/${name}`, root));
const NO_ENVIRONMENT: NodeJS.ProcessEnv = {};
const KEY = { 'x-df-api-id': 'sea-key', 'x-df-api-secret': 'sea-secret' };

describe.skipIf(!support.ok)('the standalone executable (Node SEA)', () => {
  let work: string;
  let runDir: string;
  let executable: string;
  let config: string;
  let cassette: string;
  const recordedImage = makeJpeg({ width: 160, height: 160 });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'accuauth-sea-'));
    const started = performance.now();
    const built = await buildStandaloneExecutable(join(work, 'build'));
    if (!built.ok) throw new Error(`the support check passed but the build did not: ${built.reason}`);
    runDir = join(work, 'run');
    mkdirSync(runDir);
    executable = join(runDir, 'accuauth-kit');
    renameSync(built.executable, executable);
    const megabytes = (statSync(executable).size / 1e6).toFixed(0);
    console.log(`standalone executable built in ${Math.round(performance.now() - started)} ms (${megabytes} MB)`);

    // The config and the cassette live elsewhere, as a CI job's checkout would hold them.
    const files = join(work, 'files');
    mkdirSync(files);
    config = join(files, 'accuauth-mock.yaml');
    writeFileSync(
      config,
      [
        'keys:',
        '  - { id: sea-key, secret: sea-secret }',
        'scenarios:',
        '  - match: { header: { X-Test-Case: scripted } }',
        '    respond:',
        '      status: OK',
        '      result: { gender: Female, confidence: 0.93, face_box: [10, 20, 110, 150], beard: false, beard_confidence: 0.01 }',
        '',
      ].join('\n'),
    );
    cassette = join(files, 'accuauth-cassette.yaml');
    const recorded: Cassette = {
      version: 1,
      recordings: [
        {
          image: {
            sha256: imageSha256(recordedImage),
            path: 'face.jpg',
            bytes: recordedImage.length,
            format: 'jpeg',
            width: 160,
            height: 160,
          },
          field: 'file',
          answer: {
            httpCode: httpCodeOf('DETECTION_FAILED'),
            body: { status: 'DETECTION_FAILED', reason: 'recorded: no face' },
          },
          recordedAt: '2026-11-25T10:00:00.000Z',
          target: 'http://127.0.0.1:9',
        },
      ],
    };
    writeFileSync(cassette, serializeCassette(recorded));
  });

  // A failed assertion must not leave the executable running.
  let running: MockProcess | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('serves the mock with nothing beside it and no Node on PATH: config, cassette, admin API, dashboard', async () => {
    running = await startMockProcess({
      cli: [executable],
      cwd: runDir,
      env: NO_ENVIRONMENT,
      config,
      args: ['--cassette', cassette, '--log', 'json'],
    });
    const mock = running;
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expectAnswer(await callPredict(mock.url, { credentials: KEY, file: makeJpeg({ width: 150, height: 150 }) }), 'OK');
    // The config's keys: any other pair is refused.
    expectAnswer(await callPredict(mock.url, { file: makeJpeg({ width: 150, height: 150 }) }), 'UNAUTHORIZED');
    const scripted = expectAnswer(
      await callPredict(mock.url, {
        credentials: KEY,
        headers: { 'x-test-case': 'scripted' },
        file: makeJpeg({ width: 150, height: 150 }),
      }),
      'OK',
    );
    expect(scripted.result).toMatchObject({ gender: 'Female', confidence: 0.93 });
    const replayed = expectAnswer(
      await callPredict(mock.url, { credentials: KEY, file: recordedImage }),
      'DETECTION_FAILED',
    );
    expect(replayed.reason).toBe('recorded: no face');

    const health = await fetch(`${mock.url}/__admin/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'up', requests: 4 });
    // The dashboard's page, byte for byte the package's files (embedded as SEA assets).
    const page = await fetch(`${mock.url}/__admin/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Buffer.from(await page.arrayBuffer())).toEqual(pageFile('index.html'));
    // Every file the page loads (the script's modules with it): a module left out of the SEA assets would be a 404.
    for (const [route, file] of Object.entries(FILE_NAMES).filter(([route]) => route !== '')) {
      const served = await fetch(`${mock.url}/__admin/ui/${route}`);
      expect(served.status, route).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()), route).toEqual(pageFile(file));
    }

    expect(await mock.stop()).toBe(0);
    // pino, bundled in: one JSON line per request, the shutdown line, no secret.
    expect(mock.stderr()).toMatch(/"method":"POST","path":"\/face\/predict_gender","status":"OK","httpCode":200/);
    expect(mock.stderr()).toContain('SIGTERM, closing after in-flight requests');
    expect(mock.stderr()).not.toContain('sea-secret');
    expect(readdirSync(runDir)).toEqual(['accuauth-kit']);
  });

  it('prints the package version, and answers the commands it leaves out with exit 2 and a pointer', async () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    const version = await runCli(['--version'], [executable], NO_ENVIRONMENT);
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
    for (const command of ['drift', 'record', 'types', 'report', 'import-har', 'latency-profile', 'images']) {
      const result = await runCli([command, '--base-url', 'http://127.0.0.1:9'], [executable], NO_ENVIRONMENT);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`accuauth-kit ${command} is not in the standalone executable`);
      expect(result.stderr).toContain(`npx --no-install accuauth-kit ${command}`);
    }
  });

  it('a bad config file -> exit 2 and the field named, as the package CLI does', async () => {
    const bad = join(work, 'files', 'bad.yaml');
    writeFileSync(bad, 'keys:\n  - id: k1\n    secret: s\n    rateLimit: 0\n');
    const result = await runCli(['mock', '--port', '0', '--config', bad], [executable], NO_ENVIRONMENT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('keys[0].rateLimit must be >= 1');
  });
});
