import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/index.js';
import { unusedPort } from '../support/free-port.js';
import { runCli } from '../support/mock-process.js';
import { TEST_SECRET } from '../support/predict-request.js';
import { scratchFolder } from '../support/scratch-folder.js';
import { distinctImages, runScriptedClient } from '../support/scripted-client.js';

// `accuauth-kit report` after the mocks stopped: each test worker's mock wrote its own journal file, and the report
// merges them into one coverage while auditing each file as its own client run.
const CLIENT = { id: 'client-id', secret: 'client-secret-5d1e' };
const dir = scratchFolder('report');

/** One "worker": a mock writing `file`, a scripted client against it, the mock stopped. */
async function workerRun(file: string, client: 'naive-client' | 'no-cache-client', seed: number): Promise<void> {
  const mock = await startMock({ journalFile: file, config: { keys: [{ ...CLIENT, quota: 1 }] } });
  try {
    await runScriptedClient(client, mock.url, distinctImages(2, seed));
  } finally {
    await mock.close();
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'testcase' || name === 'testsuite',
});

describe('accuauth-kit report --journal', () => {
  it('merges two journal files, fails on the findings and the unmet requirement, and writes every format', async () => {
    const first = join(dir, 'worker-1.ndjson');
    const second = join(dir, 'worker-2.ndjson');
    await workerRun(first, 'naive-client', 10);
    await workerRun(second, 'no-cache-client', 30);
    const lines = readFileSync(first, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    // Redacted like the journal: the secret never reaches the file.
    expect(readFileSync(first, 'utf8')).not.toContain(CLIENT.secret);

    const out = join(dir, 'merged');
    const run = await runCli([
      'report',
      '--journal',
      first,
      '--journal',
      second,
      '--out',
      out,
      '--require',
      'OK,KEY_EXPIRED',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/report: failed: 8 calls: never answered: KEY_EXPIRED; findings: retried-non-retriable/);
    const report = JSON.parse(readFileSync(join(out, 'client-report.json'), 'utf8'));
    // worker 1: OK, then OUT_OF_QUOTA and 3 retries; worker 2: OK, then OUT_OF_QUOTA twice (the quota is spent).
    expect(report.coverage).toMatchObject({ calls: 8, seen: { OK: 2, OUT_OF_QUOTA: 6 }, unmet: ['KEY_EXPIRED'] });
    expect(report.audit.billableCalls).toBe(2);
    expect(report.audit.findings).toEqual([
      expect.objectContaining({
        kind: 'retried-non-retriable',
        keyId: 'client-id',
        source: 'worker-1.ndjson',
        count: 3,
      }),
      expect.objectContaining({
        kind: 'retried-non-retriable',
        keyId: 'client-id',
        source: 'worker-2.ndjson',
        count: 1,
      }),
    ]);

    const junit = parser.parse(readFileSync(join(out, 'client-junit.xml'), 'utf8'));
    const [coverage, audit] = junit.testsuites.testsuite as { testcase: Record<string, unknown>[] }[];
    expect(coverage?.testcase.map((test) => [test['@_name'], 'failure' in test])).toEqual([
      ['OK', false],
      ['KEY_EXPIRED', true],
    ]);
    expect(audit?.testcase.map((test) => [test['@_name'], 'failure' in test])).toEqual([
      ['retried-non-retriable', true],
      ['retry-too-soon', false],
      ['duplicate-image', false],
      ['over-concurrency', false],
      ['client-mistake', false],
    ]);
    const html = readFileSync(join(out, 'client-report.html'), 'utf8');
    expect(html).toContain('<h1>AccuAuth client report: failed</h1>');
    expect(html).toContain('worker-2.ndjson');
    expect(readFileSync(join(out, 'client-summary.md'), 'utf8')).toBe(run.stdout);

    // Only the kinds named fail the report; no requirement given, nothing required.
    const lenient = await runCli([
      'report',
      '--journal',
      first,
      '--out',
      join(dir, 'lenient'),
      '--fail-on',
      'duplicate-image',
    ]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/report: passed: 5 calls: nothing required, no failing finding/);
  }, 30_000);

  it('exits 2 for a file that is not a journal, a mock it cannot read, and bad usage', async () => {
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, '{"at":"2026-12-01T00:00:00.000Z"}\n');
    const notJournal = await runCli(['report', '--journal', broken, '--out', join(dir, 'x')]);
    expect(notJournal).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/broken.ndjson:1 is not a journal entry/),
    });

    const port = await unusedPort();
    const gone = await runCli(['report', '--mock', `http://127.0.0.1:${port}`, '--out', join(dir, 'y')]);
    expect(gone).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /could not read: cannot read http:\/\/127.0.0.1:\d+\/__admin\/coverage: ECONNREFUSED/,
      ),
    });

    const neither = await runCli(['report', '--out', join(dir, 'z')]);
    expect(neither).toMatchObject({ code: 2, stderr: expect.stringMatching(/either --mock URL or --journal FILE/) });
    const typo = await runCli(['report', '--journal', broken, '--require', 'OK,KEY_EXPIRD']);
    expect(typo).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown outcome KEY_EXPIRD/) });
    const kind = await runCli(['report', '--journal', broken, '--fail-on', 'retries']);
    expect(kind).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown finding kind retries: use retried-non-retriable/),
    });
  }, 30_000);

  it('reads a mock behind an admin token, and says so when the token is missing', async () => {
    const mock = await startMock({ adminToken: 'admin-token-77c1' });
    try {
      const refused = await runCli(['report', '--mock', mock.url, '--out', join(dir, 'token-0')], undefined, {
        ...process.env,
        ACCUAUTH_ADMIN_TOKEN: '',
      });
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/refused the admin token/) });
      const read = await runCli(['report', '--mock', mock.url, '--out', join(dir, 'token-1')], undefined, {
        ...process.env,
        ACCUAUTH_ADMIN_TOKEN: 'admin-token-77c1',
      });
      expect(read.code).toBe(0);
      expect(read.stdout + read.stderr).not.toContain('admin-token-77c1');
      expect(read.stdout).not.toContain(TEST_SECRET);
    } finally {
      await mock.close();
    }
  }, 30_000);
});
