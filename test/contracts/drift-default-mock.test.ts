import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS } from '../../contracts/probes/probe-catalogue.js';
import { makeJpeg } from '../../src/image/sample-images.js';
import { RESERVED_FAKE_ID_PREFIX } from '../../src/spec/credential-headers.js';
import { expectAnswer } from '../support/documented-answer.js';
import { type MockProcess, runCli, startMockProcess } from '../support/mock-process.js';
import { callPredict } from '../support/predict-request.js';

// `npm start` then `accuauth-kit drift --base-url http://127.0.0.1:4010` used to report wrong-credentials as drift
// (HTTP 200 expected 401): the default mock accepted any pair. It now refuses the reserved fake id, as the vendor
// refuses a pair it never issued, and drift of the default mock against itself is clean.
let mock: MockProcess;
const out = mkdtempSync(join(tmpdir(), 'accuauth-default-drift-'));
beforeAll(async () => {
  mock = await startMockProcess();
});
afterAll(async () => {
  await mock.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('the default mock (no config)', () => {
  it('refuses the reserved fake id with 401 UNAUTHORIZED and accepts any other non-empty pair', async () => {
    expect(FAKE_CREDENTIALS.apiId.startsWith(RESERVED_FAKE_ID_PREFIX)).toBe(true);
    const file = makeJpeg({ width: 160, height: 160 });
    const fake = { 'x-df-api-id': FAKE_CREDENTIALS.apiId, 'x-df-api-secret': FAKE_CREDENTIALS.apiSecret };
    expectAnswer(await callPredict(mock.url, { file, credentials: fake }), 'UNAUTHORIZED', { httpCode: 401 });
    const any = { 'x-df-api-id': 'any-id', 'x-df-api-secret': 'any-secret' };
    expectAnswer(await callPredict(mock.url, { file, credentials: any }), 'OK');
  });

  it('accuauth-kit drift against it exits 0 (no drift)', async () => {
    const args = ['--base-url', mock.url, '--api-id', 'self-id', '--api-secret', 'self-secret', '--out', out];
    const result = await runCli(['drift', ...args]);
    expect(result.stdout).toContain('no drift (exit 0)');
    expect(result.code).toBe(0);
  });
});
