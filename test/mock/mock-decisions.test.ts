import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alternativesShown } from '../../contracts/conformance/decision-shown.js';
import { describeAnswer } from '../../contracts/conformance/describe-answer.js';
import type { FaceBoxReading } from '../../contracts/conformance/judge-answer.js';
import { type ProbeOutcome, type ProbeTarget, runProbes } from '../../contracts/conformance/run-probes.js';
import { probeCatalogue, probesUnder } from '../../contracts/probes/probe-catalogue.js';
import { startMock } from '../../mock/index.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { DECISION_ALTERNATIVES, type DecisionName, type DecisionProfile } from '../../src/generated/decisions.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

// Every alternative of every decision, set in the config's `decisions:` block: the probes that tell the decision
// apart are answered as that alternative says (and as no other), over real HTTP by the mock server and in-process
// by the MSW handlers. Without the core honouring the alternative, the probes get the spec choice's answers.
const KEY = { id: 'decisions-test-id', secret: 'decisions-test-secret' };
const cases = Object.entries(DECISION_ALTERNATIVES).flatMap(([decision, alternatives]) =>
  alternatives.map((alternative) => ({ decision: decision as DecisionName, alternative: alternative as string })),
);

function profileWith(decision: DecisionName, alternative: string): DecisionProfile {
  return { ...specDecisionProfile(), [decision]: alternative } as DecisionProfile;
}

function expectAnsweredAs(outcomes: readonly ProbeOutcome[], decision: DecisionName, alternative: string): void {
  expect(outcomes.length, `some probe tells ${decision}`).toBeGreaterThan(0);
  let consistent = new Set<string>(DECISION_ALTERNATIVES[decision]);
  for (const outcome of outcomes) {
    const problems = [...outcome.specProblems, ...outcome.expectationProblems];
    expect(problems, `${outcome.probe.name} was answered ${describeAnswer(outcome.answer)}`).toEqual([]);
    const shown = new Set(alternativesShown(outcome.probe, outcome.answer));
    consistent = new Set([...consistent].filter((candidate) => shown.has(candidate)));
  }
  // The probes together single out the configured alternative.
  expect([...consistent], `${decision}: the probes' answers`).toEqual([alternative]);
}

function telling(decision: DecisionName, alternative: string) {
  return probesUnder(probeCatalogue(), profileWith(decision, alternative)).filter(
    (probe) => probe.tells?.decision === decision,
  );
}

const faceBoxReading = (decision: DecisionName, alternative: string): FaceBoxReading =>
  decision === 'face-box' ? (alternative as FaceBoxReading) : 'ltrb';

describe('the mock server honours each alternative of each decision (config decisions:)', () => {
  for (const { decision, alternative } of cases) {
    it(`decisions.${decision}: ${alternative}`, async () => {
      const mock = await startMock({ config: { keys: [KEY], decisions: { [decision]: alternative } } });
      try {
        const target: ProbeTarget = { baseUrl: mock.url, apiId: KEY.id, apiSecret: KEY.secret };
        const outcomes = await runProbes(target, telling(decision, alternative), {
          faceBox: faceBoxReading(decision, alternative),
        });
        expectAnsweredAs(outcomes, decision, alternative);
      } finally {
        await mock.close();
      }
    });
  }

  it('answers another method with 405 and Allow: POST under other-methods: method-not-allowed', async () => {
    const mock = await startMock({ config: { decisions: { 'other-methods': 'method-not-allowed' } } });
    try {
      const answer = await callPredict(mock.url, { method: 'PUT', credentials: false });
      expect(answer.httpCode).toBe(405);
      expect(answer.headers.allow).toBe('POST');
      expect(answer.headers['content-type']).toMatch(/^text\/plain/);
      const unknown = await callPredict(mock.url, { method: 'GET', path: '/face/elsewhere', credentials: false });
      expect(unknown.httpCode).toBe(404);
      expectAnswer(unknown, 'NOT_FOUND');
    } finally {
      await mock.close();
    }
  });

  it('shows every decision in force in the admin API, and refuses an unknown alternative naming the allowed ones', async () => {
    const mock = await startMock({ config: { decisions: { 'both-fields': 'reject' } } });
    try {
      const config = (await admin(mock.url, 'GET', '/config')).body as { decisions: DecisionProfile };
      expect(config.decisions).toEqual({ ...specDecisionProfile(), 'both-fields': 'reject' });
    } finally {
      await mock.close();
    }
    await expect(startMock({ config: { decisions: { 'both-fields': 'neither' } } as never })).rejects.toMatchObject({
      reason: 'decisions.both-fields must be one of file, image_base64, reject',
    });
    await expect(startMock({ config: { decisions: { 'no-such-decision': 'x' } } as never })).rejects.toMatchObject({
      reason: 'decisions has an unknown property "no-such-decision"',
    });
  });
});

describe('the MSW handlers honour each alternative of each decision', () => {
  const mocks = cases.map(({ decision, alternative }) => ({
    decision,
    alternative,
    // Each on its own origin, so one server intercepts them all without the handlers shadowing each other.
    baseUrl: `https://${decision}.${alternative.replaceAll('_', '-')}.decisions.test`,
  }));
  const server = setupServer(
    ...mocks.flatMap(
      ({ decision, alternative, baseUrl }) =>
        createMswHandlers({ baseUrl, config: { keys: [KEY], decisions: { [decision]: alternative } } }).handlers,
    ),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  for (const { decision, alternative, baseUrl } of mocks) {
    it(`decisions.${decision}: ${alternative}`, async () => {
      const outcomes = await runProbes(
        { baseUrl, apiId: KEY.id, apiSecret: KEY.secret },
        telling(decision, alternative),
        { faceBox: faceBoxReading(decision, alternative) },
      );
      expectAnsweredAs(outcomes, decision, alternative);
    });
  }
  it('uses the vendor origin by default', () => expect(VENDOR_BASE_URL).toMatch(/^https:/));
});
