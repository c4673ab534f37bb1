import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockConfigError, startMock } from '../../mock/index.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli } from '../support/mock-process.js';
import { admin, useMock } from '../support/mock-server.js';
import { fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';
import { scratchFolder } from '../support/scratch-folder.js';

// Bad admin calls and bad config files: each is refused with an error naming the problem, and a running mock's
// state stays exactly what it was. Secrets in a refused input are never repeated in the error.
const SECRET = 'admin-secret-5d8e2b';
const initialConfig = {
  keys: [{ id: 'admin-key', secret: SECRET, quota: 1000 }],
  scenarios: [
    { name: 'detect', match: { header: { 'x-case': 'detect' } }, respond: { status: 'DETECTION_FAILED' as const } },
  ],
};
const mock = useMock({ config: initialConfig });
const body = fileUploadBody(makeJpeg({ width: 150, height: 150, seed: 41 }));

/** The running state as a client sees it: the effective config and what the scripted request gets. */
async function runningState() {
  const config = await admin(mock.url, 'GET', '/config');
  const answer = await callPredict(mock.url, {
    body,
    headers: {
      'X-DF-API-ID': 'admin-key',
      'X-DF-API-SECRET': SECRET,
      'content-type': multipartContentType(),
      'x-case': 'detect',
    },
  });
  return { config: config.text, scripted: expectAnswer(answer, 'DETECTION_FAILED', { secrets: [SECRET] }).status };
}

describe('bad admin API calls', () => {
  // The admin API documents 400 for a body that does not validate (or is not JSON), 404 for an unknown route and
  // 405 for a known route with another method (README, "Admin API").
  const cases: [string, string, string, string, number, RegExp][] = [
    ['a body that is not JSON', 'PUT', '/scenarios', 'not json {', 400, /JSON/],
    ['scenarios that are not a list', 'PUT', '/scenarios', '{"scenarios": "nope"}', 400, /scenarios/],
    [
      'an unknown status value',
      'PUT',
      '/scenarios',
      '{"scenarios": [{"respond": {"status": "NOPE"}}]}',
      400,
      /scenarios\[0\]\.respond\.status/,
    ],
    ['an unknown property', 'PUT', '/scenarios', '{"scenarios": [], "extra": 1}', 400, /extra/],
    ['a body that is a list', 'PUT', '/scenarios', '[]', 400, /object/],
    ['a key without secret', 'PUT', '/keys', '{"keys": [{"id": "a"}]}', 400, /secret/],
    [
      'a negative quota',
      'PUT',
      '/keys',
      `{"keys": [{"id": "a", "secret": "${SECRET}-new", "quota": -1}]}`,
      400,
      /keys\[0\]\.quota/,
    ],
    [
      'a quota that is text',
      'PUT',
      '/keys',
      `{"keys": [{"id": "a", "secret": "${SECRET}-new", "quota": "ten"}]}`,
      400,
      /keys\[0\]\.quota/,
    ],
    ['an unknown route', 'POST', '/nope', '{}', 404, /nope/],
    ['a known route with another method', 'POST', '/keys', '{"keys": null}', 405, /use GET .*keys or PUT/],
  ];
  it.each(cases)(
    'refuses %s with an error naming it, and changes nothing',
    async (_name, method, route, payload, httpCode, names) => {
      const before = await runningState();
      const answer = await admin(mock.url, method, route, payload);
      expect(answer.httpCode, answer.text).toBe(httpCode);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      const error = (answer.body as { error?: unknown }).error;
      expect(typeof error).toBe('string');
      expect(error).toMatch(names);
      expect(answer.text).not.toContain(SECRET);
      expect(await runningState()).toEqual(before);
    },
  );

  it('refuses a 2 MB admin body without falling over, and changes nothing', async () => {
    const before = await runningState();
    const answer = await admin(
      mock.url,
      'PUT',
      '/scenarios',
      `{"scenarios": [${'{"respond":{"status":"OK"}},'.repeat(80_000)}{}]}`,
    );
    // Past the admin API's 1 MB body limit: a 400 saying the body could not be read, as for any unreadable body.
    expect(answer.httpCode, answer.text).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect((answer.body as { error?: unknown }).error).toMatch(/too large/);
    expect(await runningState()).toEqual(before);
  });

  it('never shows a configured secret in the effective config', async () => {
    expect((await admin(mock.url, 'GET', '/config')).text).not.toContain(SECRET);
  });
});

describe('bad config files', () => {
  const dir = scratchFolder('hostile-config');
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cases: [string, string, RegExp][] = [
    [file('broken.yaml', 'keys: [unclosed'), 'not YAML', /not valid YAML or JSON/],
    [file('unknown.yaml', 'kees: []\n'), 'an unknown property', /kees/],
    [
      file('quota.yaml', `keys:\n  - id: a\n    secret: ${SECRET}\n    quota: -5\n`),
      'a negative quota',
      /keys\[0\]\.quota/,
    ],
    [
      file('both.json', '{"scenarios":[{"respond":{"status":"OK"},"sequence":[{"status":"OK"}]}]}'),
      'respond and sequence',
      /scenarios\[0\]/,
    ],
    [
      file('result.json', '{"scenarios":[{"respond":{"status":"NOT_FOUND","result":{}}}]}'),
      'a result on an error',
      /scenarios\[0\]\.respond\.result/,
    ],
    [file('latency.yaml', 'latency: {minMs: 50, maxMs: 10}\n'), 'an upside-down latency range', /latency/],
    [file('list.json', '[1, 2, 3]'), 'a list instead of an object', /config/],
    [join(dir, 'missing.yaml'), 'a file that does not exist', /cannot read/],
  ];

  it.each(cases)('refuses %s (%s) at start with the file and the field named', async (path, _name, names) => {
    const started = startMock({ port: 0, config: path });
    await expect(started).rejects.toBeInstanceOf(MockConfigError);
    const error = (await started.catch((e: unknown) => e)) as MockConfigError;
    expect(error.reason).toContain(path);
    expect(error.reason).toMatch(names);
    expect(error.reason).not.toContain(SECRET);
  });

  it('makes the CLI exit with an error naming the field, before it listens', async () => {
    const path = cases[2]?.[0] ?? '';
    const run = await runCli(['mock', '--port', '0', '--config', path]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toContain('listening');
    expect(run.stderr).toMatch(/keys\[0\]\.quota/);
    expect(run.stderr).not.toContain(SECRET);
  });
});
