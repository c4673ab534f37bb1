import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLogFormat } from '../../mock/express/request-log.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli, startMockProcess, waitForStderr } from '../support/mock-process.js';
import { callPredict } from '../support/predict-request.js';

// The request log of the built CLI, read from its stderr. Each line is written once the answer has gone out.
const scratch = mkdtempSync(join(tmpdir(), 'accuauth-logs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SECRET = 'log-secret-never-written';
const KEY = { 'x-df-api-id': 'log-key', 'x-df-api-secret': SECRET };
const LATENCY_MS = 150;
const file = makeJpeg({ width: 160, height: 160 });

function configWithLatency(): string {
  const path = join(scratch, 'latency.yaml');
  writeFileSync(path, `keys:\n  - { id: log-key, secret: ${SECRET} }\nlatency: { ms: ${LATENCY_MS} }\n`);
  return path;
}

describe('the request log', () => {
  it('JSON when stderr is not a terminal: request_id of the answer, ms with the configured latency, no secret', async () => {
    const mock = await startMockProcess({ config: configWithLatency() });
    try {
      const ok = expectAnswer(await callPredict(mock.url, { file, credentials: KEY }), 'OK');
      const problem = await callPredict(mock.url, { file, credentials: KEY, headers: { prefer: 'example=NOPE' } });
      expect(problem.httpCode).toBe(422);
      await waitForStderr(mock, /"status":"MOCK_PROBLEM"/);
      const lines = mock
        .stderr()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requests = lines.filter((line) => line.path === '/face/predict_gender');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ level: 30, method: 'POST', status: 'OK', httpCode: 200 });
      expect(requests[0]?.request_id).toBe(ok.request_id);
      // Logged when the answer was sent, after the configured delay: ms counts it.
      expect(requests[0]?.ms).toBeGreaterThanOrEqual(LATENCY_MS);
      expect(requests[1]).toMatchObject({ status: 'MOCK_PROBLEM', httpCode: 422 });
      expect(requests[1]).not.toHaveProperty('request_id');
      expect(requests[1]?.ms).toBeGreaterThanOrEqual(LATENCY_MS);
    } finally {
      expect(await mock.stop()).toBe(0);
    }
    expect(mock.stderr()).not.toContain(SECRET);
  });

  it('--log pretty: one human line per request', async () => {
    const mock = await startMockProcess({ config: configWithLatency(), args: ['--log', 'pretty'] });
    try {
      const ok = expectAnswer(await callPredict(mock.url, { file, credentials: KEY }), 'OK');
      const unauthorized = expectAnswer(
        await callPredict(mock.url, { file, credentials: { ...KEY, 'x-df-api-id': 'nobody' } }),
        'UNAUTHORIZED',
      );
      const line = await waitForStderr(mock, /UNAUTHORIZED/);
      expect(line).toMatch(
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} POST /face/predict_gender 200 OK \\d+(\\.\\d)? ms ${ok.request_id}$`,
          'm',
        ),
      );
      expect(line).toContain(`POST /face/predict_gender 401 UNAUTHORIZED`);
      expect(line).toContain(unauthorized.request_id);
      expect(line).not.toMatch(/^\{/m);
      const ms = Number(/200 OK (\S+) ms/.exec(line)?.[1]);
      expect(ms).toBeGreaterThanOrEqual(LATENCY_MS);
    } finally {
      expect(await mock.stop()).toBe(0);
    }
    expect(mock.stderr()).not.toContain(SECRET);
  });

  it('--quiet and --log-level warn: no request lines, the ready line on stdout all the same', async () => {
    for (const args of [['--quiet'], ['--log-level', 'warn']]) {
      const mock = await startMockProcess({ args });
      try {
        expectAnswer(await callPredict(mock.url, { file }), 'OK');
        // A SIGHUP without a config file is a warning, so it still shows: the log was open all along.
        process.kill(mock.pid, 'SIGHUP');
        await waitForStderr(mock, /nothing to reload/);
      } finally {
        expect(await mock.stop()).toBe(0);
      }
      expect(mock.stderr(), args.join(' ')).not.toContain('/face/predict_gender');
      expect(mock.stderr()).not.toContain('ready');
    }
  });

  it('--log-level debug also shows CORS preflights', async () => {
    const mock = await startMockProcess({ args: ['--log-level', 'debug', '--log', 'pretty'] });
    try {
      await callPredict(mock.url, {
        method: 'OPTIONS',
        credentials: false,
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      });
      await waitForStderr(mock, /DEBUG OPTIONS \/face\/predict_gender 204 CORS_PREFLIGHT/);
    } finally {
      expect(await mock.stop()).toBe(0);
    }
  });

  it('a bad --log or --log-level, or --quiet with --log-level, is a usage error (exit 2)', async () => {
    for (const args of [
      ['--log', 'xml'],
      ['--log-level', 'loud'],
      ['--quiet', '--log-level', 'info'],
    ]) {
      const result = await runCli(['mock', '--port', '0', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/--log|--quiet/);
    }
  });

  it('the default format: pretty on a terminal, JSON in CI or through a pipe', () => {
    expect(defaultLogFormat(true, {})).toBe('pretty');
    expect(defaultLogFormat(true, { CI: 'true' })).toBe('json');
    expect(defaultLogFormat(true, { CI: 'false' })).toBe('pretty');
    expect(defaultLogFormat(false, {})).toBe('json');
  });
});
