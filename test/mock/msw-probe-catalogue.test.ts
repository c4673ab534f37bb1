import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeAnswer } from '../../contracts/conformance/describe-answer.js';
import { type ProbeTarget, runProbe } from '../../contracts/conformance/run-probes.js';
import { probeCatalogue } from '../../contracts/probes/probe-catalogue.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';

// One core, one behaviour: the whole probe catalogue that contracts/conformance.test.ts sends to the mock process
// is sent here to the MSW handlers, in-process, with the same key. Nothing leaves the process (onUnhandledRequest).
const MOCK_KEY = { id: 'conformance-suite-id', secret: 'conformance-suite-secret' };
const mock = createMswHandlers({ config: { keys: [MOCK_KEY] } });
const server = setupServer(...mock.handlers);
const target: ProbeTarget = { baseUrl: VENDOR_BASE_URL, apiId: MOCK_KEY.id, apiSecret: MOCK_KEY.secret };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => mock.core.reset());
afterAll(() => server.close());

describe('spec conformance of the MSW handlers', () => {
  for (const probe of probeCatalogue()) {
    it(`${probe.name}: ${probe.checks}`, async () => {
      const outcome = await runProbe(target, probe);
      const problems = [...outcome.specProblems, ...outcome.expectationProblems];
      expect(problems, `${probe.name} was answered ${describeAnswer(outcome.answer)}`).toEqual([]);
    });
  }
});
