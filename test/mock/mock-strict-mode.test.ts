import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientMistakesError, startMock } from '../../mock/index.js';
import { CLIENT_MISTAKES, GOOD_JPEG } from '../support/client-mistakes.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli, startMockProcess } from '../support/mock-process.js';
import { admin } from '../support/mock-server.js';
import { callPredict, TEST_SECRET } from '../support/predict-request.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const jsonBody = CLIENT_MISTAKES.find((mistake) => mistake.code === 'json-body');
const queryKey = CLIENT_MISTAKES.find((mistake) => mistake.code === 'credentials-in-query');
if (!jsonBody || !queryKey) throw new Error('the shared mistakes lost their JSON-body or query-key case');

describe('assertNoClientMistakes on the startMock handle', () => {
  it('passes for accepted and scripted answers, and fails listing each unscripted mistake with its fix', async () => {
    const mock = await startMock({
      config: {
        scenarios: [
          { name: 'no face', match: { header: { 'x-case': 'no-face' } }, respond: { status: 'DETECTION_FAILED' } },
        ],
      },
    });
    try {
      expectAnswer(await callPredict(mock.url, { file: GOOD_JPEG }), 'OK');
      expectAnswer(
        await callPredict(mock.url, { file: GOOD_JPEG, headers: { prefer: 'example=INVALID_ARGUMENT' } }),
        'INVALID_ARGUMENT',
      );
      expect((await admin(mock.url, 'POST', '/next', { status: 'INVALID_ARGUMENT' })).httpCode).toBe(200);
      expectAnswer(await callPredict(mock.url, { file: GOOD_JPEG }), 'INVALID_ARGUMENT');
      expectAnswer(
        await callPredict(mock.url, { file: GOOD_JPEG, headers: { 'x-case': 'no-face' } }),
        'DETECTION_FAILED',
      );
      expect(() => mock.assertNoClientMistakes()).not.toThrow();

      expectAnswer(await callPredict(mock.url, jsonBody.call), 'INVALID_ARGUMENT');
      expectAnswer(await callPredict(mock.url, queryKey.call), 'UNAUTHORIZED');
      expect(mock.clientMistakes().count).toBe(2);
      let failure: unknown;
      try {
        mock.assertNoClientMistakes();
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(ClientMistakesError);
      const message = (failure as Error).message;
      expect(message).toMatch(/^2 calls were refused for a mistake of the client/);
      expect(message).toContain('POST /face/predict_gender -> 400 INVALID_ARGUMENT');
      expect(message).toContain('json-body ("application/json"): send multipart/form-data');
      expect(message).toContain('credentials-in-query');
      expect(message).toMatch(
        /Closest valid request: POST \/face\/predict_gender with headers X-DF-API-ID and X-DF-API-SECRET/,
      );
      expect(message).not.toContain(TEST_SECRET);
      // A reset (here, or POST /__admin/reset) starts the count again.
      await mock.reset();
      expect(() => mock.assertNoClientMistakes()).not.toThrow();
    } finally {
      await mock.close();
    }
  });

  it('strict: true makes reset() and close() reject with the mistakes, after doing their work', async () => {
    const mock = await startMock({ config: { strict: true } });
    expectAnswer(await callPredict(mock.url, jsonBody.call), 'INVALID_ARGUMENT');
    await expect(mock.reset()).rejects.toThrow(/json-body/);
    // The reset happened: the next test starts clean.
    expect(mock.clientMistakes().count).toBe(0);
    await expect(mock.reset()).resolves.toBeUndefined();
    expectAnswer(await callPredict(mock.url, { file: GOOD_JPEG, path: '/predict_gender' }), 'NOT_FOUND');
    await expect(mock.close()).rejects.toThrow(/unknown-path \("POST \/predict_gender"\)/);
    // Closed all the same.
    await expect(fetch(mock.url)).rejects.toThrow();
  });
});

/** Runs vitest on `files` in a directory of its own, as a team's suite would run, and reads its JSON report. */
async function childVitest(files: Record<string, string>) {
  // Inside the repository, so the child resolves vitest and the mock from its node_modules; not under test/, so the
  // parent run never collects these files.
  const dir = await mkdtemp(join(ROOT, '.strict-child-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    // Its own config: otherwise vitest finds the repository's, whose include does not reach this directory.
    await writeFile(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'] } };\n");
    // The parent vitest's own variables would make the child think it is a worker.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    const config = join(dir, 'vitest.config.mjs');
    const report = join(dir, 'report.json');
    const run = await runCli(
      ['run', '--root', dir, '--config', config, '--reporter=default', '--reporter=json', '--outputFile.json', report],
      [process.execPath, VITEST],
      { ...inherited, NO_COLOR: '1' },
    );
    const { code } = run;
    const output = `${run.stdout}${run.stderr}`;
    const results = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: {
        name: string;
        status: string;
        message: string;
        assertionResults: { status: string; failureMessages: string[] }[];
      }[];
    };
    const byFile = Object.fromEntries(results.testResults.map((result) => [result.name.slice(dir.length + 1), result]));
    return { code, output, byFile };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("strict mode fails a team's vitest run", () => {
  it('through assertNoClientMistakes in a test, and through strict: true at close, but not for scripted answers', async () => {
    const mockModule = JSON.stringify(pathToFileURL(join(ROOT, 'mock/index.ts')).href);
    const jsonCall = `fetch(mock.url + '/face/predict_gender', {
      method: 'POST',
      headers: { 'X-DF-API-ID': 'team', 'X-DF-API-SECRET': 'team-secret', 'content-type': 'application/json' },
      body: JSON.stringify({ image_base64: 'aGVsbG8=' }),
    })`;
    const { code, output, byFile } = await childVitest({
      'explicit.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMock } from ${mockModule};
let mock;
beforeAll(async () => { mock = await startMock(); });
afterAll(() => mock.close());
it('uploads a face', async () => {
  const answer = await ${jsonCall};
  expect(answer.status).toBe(400);
  mock.assertNoClientMistakes();
});
`,
      'strict-config.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMock } from ${mockModule};
let mock;
beforeAll(async () => { mock = await startMock({ config: { strict: true } }); });
afterAll(() => mock.close());
it('uploads a face', async () => {
  expect((await ${jsonCall}).status).toBe(400);
});
`,
      'scripted.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMock } from ${mockModule};
let mock;
beforeAll(async () => { mock = await startMock({ config: { strict: true } }); });
afterAll(() => mock.close());
it('handles a scripted refusal', async () => {
  const answer = await fetch(mock.url + '/face/predict_gender', {
    method: 'POST',
    headers: { 'X-DF-API-ID': 'team', 'X-DF-API-SECRET': 'team-secret', prefer: 'example=INVALID_ARGUMENT' },
  });
  expect(answer.status).toBe(400);
  mock.assertNoClientMistakes();
});
`,
    });
    expect(code, output).toBe(1);
    expect(byFile['scripted.test.ts']?.status, output).toBe('passed');
    const explicit = byFile['explicit.test.ts'];
    expect(explicit?.status, output).toBe('failed');
    const failure = explicit?.assertionResults[0]?.failureMessages.join('\n') ?? '';
    expect(failure).toContain('ClientMistakesError');
    expect(failure).toContain('json-body ("application/json")');
    expect(failure).toContain('Closest valid request: POST /face/predict_gender');
    const strict = byFile['strict-config.test.ts'];
    expect(strict?.status, output).toBe('failed');
    // The test passed; the file failed in afterAll, with the diagnosis in the run's output.
    expect(strict?.assertionResults[0]?.status).toBe('passed');
    expect(output).toMatch(/strict-config\.test\.ts[\s\S]*json-body/);
    expect(output).not.toContain('team-secret');
  });
});

describe('the CLI flags', () => {
  it('--diagnosis-header sends the header; --strict exits 1 at shutdown, printing each diagnosis', async () => {
    const mock = await startMockProcess({ args: ['--strict', '--diagnosis-header', '--quiet'] });
    const answer = await callPredict(mock.url, jsonBody.call);
    expectAnswer(answer, 'INVALID_ARGUMENT');
    expect(JSON.parse(answer.headers['x-accuauth-mock-diagnosis'] ?? '{}')).toMatchObject({ code: 'json-body' });
    expect(await mock.stop()).toBe(1);
    expect(mock.stderr()).toContain('accuauth-kit mock: strict: 1 call was refused for a mistake of the client');
    expect(mock.stderr()).toContain('json-body');
  });

  it('without --strict a mock with mistakes exits 0', async () => {
    const mock = await startMockProcess({ args: ['--quiet'] });
    const answer = await callPredict(mock.url, jsonBody.call);
    expectAnswer(answer, 'INVALID_ARGUMENT');
    expect(answer.headers['x-accuauth-mock-diagnosis']).toBeUndefined();
    expect(await mock.stop()).toBe(0);
  });
});
