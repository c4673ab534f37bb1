import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { documentedOutcomes } from '../../mock/core/judge/required-outcomes.js';
import { CoverageError } from '../../mock/index.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli } from '../support/mock-process.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';
import { scratchFolder } from '../support/scratch-folder.js';
import { distinctImages, runScriptedClient } from '../support/scripted-client.js';

// Error-path coverage: per documented outcome, how often the client's calls got it and how it was provoked, counted
// from every answer since the last reset. The good client meets every status (next answers and Prefer) while
// backing off and caching, so it meets `--require all` with no finding.
const PRICE = 0.002;
const QUEUED = ['KEY_EXPIRED', 'DETECTION_FAILED', 'INTERNAL_ERROR'] as const;
const PREFERRED = [
  'INVALID_ARGUMENT',
  'DOWNLOAD_ERROR',
  'UNAUTHORIZED',
  'NO_PERMISSION',
  'OUT_OF_QUOTA',
  'RATE_LIMIT_EXCEEDED',
  'NOT_FOUND',
  'OK_FEMALE',
];

describe('the good client', () => {
  const mock = useMock({
    config: { coverage: { require: ['all'] }, audit: { pricePerCall: PRICE, maxConcurrency: 2 } },
  });

  it('meets every documented status with Prefer and next answers, and gets no finding', async () => {
    for (const status of QUEUED) expect((await admin(mock.url, 'POST', '/next', { status })).httpCode).toBe(200);
    const images = distinctImages(QUEUED.length + PREFERRED.length + 1, 100);
    await runScriptedClient('good-client', mock.url, images, {
      QUEUED_ANSWERS: String(QUEUED.length),
      PREFERRED: PREFERRED.join(','),
    });

    const coverage = (await admin(mock.url, 'GET', '/coverage')).body as ReturnType<typeof mock.running.coverage>;
    expect(coverage.missing).toEqual([]);
    expect(coverage.unmet).toEqual([]);
    expect(coverage.required).toEqual(documentedOutcomes());
    expect(Object.keys(coverage.seen).sort()).toEqual(documentedOutcomes().sort());
    expect(coverage.provokedBy.KEY_EXPIRED).toEqual({ 'next-answer': 1 });
    expect(coverage.provokedBy.INTERNAL_ERROR).toEqual({ 'next-answer': 1 });
    expect(coverage.provokedBy.OUT_OF_QUOTA).toEqual({ prefer: 1 });
    // The retries after INTERNAL_ERROR and RATE_LIMIT_EXCEEDED, and the last upload, got the derived answer.
    expect(coverage.provokedBy.OK).toEqual({ prefer: 1, derived: 3 });
    // Prefer answers come before the body is read; the queued ones went by each way.
    expect(coverage.missingInputWays).toEqual([]);
    expect(coverage.okVariants.gender.Female).toBeGreaterThanOrEqual(1);

    const audit = (await admin(mock.url, 'GET', '/audit')).body as ReturnType<typeof mock.running.audit>;
    expect(audit.findings).toEqual([]);
    // Scripted and preferred answers spend no quota; the three derived OK answers do.
    expect(audit.billableCalls).toBe(3);
    expect(audit.estimatedSpend).toBeCloseTo(3 * PRICE, 9);
    expect(() => mock.running.assertCovered()).not.toThrow();

    const out = scratchFolder('client-report');
    const run = await runCli(['report', '--mock', mock.url, '--require', 'all', '--out', out]);
    expect(run.stderr).toMatch(/report: passed/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('## AccuAuth client report: passed');
    const report = JSON.parse(readFileSync(join(out, 'client-report.json'), 'utf8'));
    expect(report).toMatchObject({ passed: true, exitCode: 0, coverage: { unmet: [] }, audit: { findings: [] } });
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'client-junit.xml'), 'utf8'));
    const suites = junit.testsuites.testsuite as { '@_name': string; '@_tests': string; '@_failures': string }[];
    expect(suites.map((suite) => [suite['@_name'], suite['@_tests'], suite['@_failures']])).toEqual([
      ['accuauth-kit client coverage', '11', '0'],
      ['accuauth-kit client audit', '5', '0'],
    ]);
  }, 30_000);
});

describe('coverage counts', () => {
  const mock = useMock({ config: { journal: { limit: 2 } } });

  it('every call since the last reset, not only those the capped journal keeps', async () => {
    const [image] = distinctImages(1, 7);
    for (let i = 0; i < 5; i += 1) expectAnswer(await callPredict(mock.url, { file: image as Buffer }), 'OK');
    expectAnswer(await callPredict(mock.url, { headers: { prefer: 'example=KEY_EXPIRED' } }), 'KEY_EXPIRED');
    expect((await mock.running.journal.list()).requests).toHaveLength(2);
    const coverage = mock.running.coverage();
    expect(coverage).toMatchObject({ calls: 6, seen: { OK: 5, KEY_EXPIRED: 1 } });
    expect(coverage.inputWays['multipart file']).toBe(5);
    expect(mock.running.audit().counts['duplicate-image']).toBe(4);

    await admin(mock.url, 'POST', '/reset');
    expect(mock.running.coverage()).toMatchObject({ calls: 0, seen: {} });
    expect(mock.running.audit()).toMatchObject({ calls: 0, billableCalls: 0, findings: [] });
  });

  it('assertCovered names each required outcome never answered; GET /coverage?require= judges another set', async () => {
    expectAnswer(await callPredict(mock.url, { headers: { prefer: 'example=OUT_OF_QUOTA' } }), 'OUT_OF_QUOTA');
    expect(() => mock.running.assertCovered('OUT_OF_QUOTA')).not.toThrow();
    let thrown: unknown;
    try {
      mock.running.assertCovered('OUT_OF_QUOTA', 'RATE_LIMIT_EXCEEDED', 'KEY_EXPIRED');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CoverageError);
    expect((thrown as CoverageError).unmet).toEqual(['KEY_EXPIRED', 'RATE_LIMIT_EXCEEDED']);
    expect((thrown as Error).message).toMatch(/never got KEY_EXPIRED, RATE_LIMIT_EXCEEDED: provoke each/);
    // No argument and no configured requirement: every documented status value.
    expect(() => mock.running.assertCovered()).toThrow(/never got OK, INVALID_ARGUMENT/);

    const asked = await admin(mock.url, 'GET', '/coverage?require=OUT_OF_QUOTA,NOT_FOUND');
    expect(asked.body).toMatchObject({ required: ['OUT_OF_QUOTA', 'NOT_FOUND'], unmet: ['NOT_FOUND'] });
    const typo = await admin(mock.url, 'GET', '/coverage?require=OUT_OF_QUOTAS');
    expect(typo.httpCode).toBe(400);
    expect((typo.body as { error: string }).error).toMatch(/unknown outcome OUT_OF_QUOTAS: use all or status values/);
  });
});
