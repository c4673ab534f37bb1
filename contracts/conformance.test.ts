import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProcess, startMockProcess } from '../test/support/mock-process.js';
import { describeAnswer } from './conformance/describe-answer.js';
import { type ProbeTarget, runProbe } from './conformance/run-probes.js';
import { vendorBaseUrl } from './conformance/target-from-env.js';
import { liveProbes, probeCatalogue } from './probes/probe-catalogue.js';

/**
 * The spec-conformance suite, parameterised by its target: the mock as a separate process (the built CLI, as a user
 * runs it) when ACCUAUTH_BASE_URL is unset, else that URL with ACCUAUTH_API_ID / ACCUAUTH_API_SECRET. Pointed at
 * the vendor's own URL it sends only the live-safe probes, so a mistaken environment cannot spend more quota than
 * `npm run contracts:live` does.
 */
const externalUrl = process.env.ACCUAUTH_BASE_URL;
const isVendor = externalUrl !== undefined && new URL(externalUrl).host === new URL(vendorBaseUrl()).host;
const probes = isVendor ? liveProbes() : probeCatalogue();
// The mock is started with exactly this key, so the fake pair of `wrong-credentials` is refused as the vendor would.
const MOCK_KEY = { id: 'conformance-suite-id', secret: 'conformance-suite-secret' };

describe(`spec conformance of ${externalUrl ?? 'the mock, run as a separate process'}`, () => {
  let target: ProbeTarget | undefined;
  let mock: MockProcess | undefined;
  let configDir: string | undefined;

  beforeAll(async () => {
    if (externalUrl) {
      target = { baseUrl: externalUrl, apiId: process.env.ACCUAUTH_API_ID, apiSecret: process.env.ACCUAUTH_API_SECRET };
      return;
    }
    configDir = mkdtempSync(join(tmpdir(), 'accuauth-conformance-'));
    const config = join(configDir, 'mock-config.json');
    writeFileSync(config, JSON.stringify({ keys: [MOCK_KEY] }));
    mock = await startMockProcess({ config });
    target = { baseUrl: mock.url, apiId: MOCK_KEY.id, apiSecret: MOCK_KEY.secret, timeoutMs: 10_000 };
  });

  afterAll(async () => {
    await mock?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  for (const probe of probes) {
    it(`${probe.name}: ${probe.checks}`, async () => {
      if (!target) throw new Error('the target did not start');
      const outcome = await runProbe(target, probe);
      const problems = [...outcome.specProblems, ...outcome.expectationProblems];
      expect(problems, `${probe.name} was answered ${describeAnswer(outcome.answer)}`).toEqual([]);
    });
  }
});
