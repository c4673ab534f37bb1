import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli, startMockProcess } from '../support/mock-process.js';
import { callPredict } from '../support/predict-request.js';
import { scratchFolder } from '../support/scratch-folder.js';

describe('accuauth-kit mock (the built CLI, as a separate process)', () => {
  it('prints its URL once ready, serves, logs one line per request without secrets, exits 0 on SIGTERM', async () => {
    const started = performance.now();
    const mock = await startMockProcess();
    console.log(`mock process ready after ${Math.round(performance.now() - started)} ms (spawn included)`);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const secret = 'cli-secret-never-logged';
    const answer = await callPredict(mock.url, {
      credentials: { 'x-df-api-id': 'id', 'x-df-api-secret': secret },
      file: makeJpeg({ width: 150, height: 150 }),
    });
    expectAnswer(answer, 'OK');
    expect(await mock.stop()).toBe(0);
    expect(mock.stderr()).toMatch(/"method":"POST","path":"\/face\/predict_gender","status":"OK","httpCode":200/);
    expect(mock.stderr()).not.toContain(secret);
  });

  it('a bad config file -> exit code 2 and a message naming the field', async () => {
    const path = join(scratchFolder('cli'), 'bad.yaml');
    writeFileSync(path, 'keys:\n  - id: k1\n    secret: s\n    rateLimit: 0\n');
    const result = await runCli(['mock', '--port', '0', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('keys[0].rateLimit must be >= 1');
  });
});
