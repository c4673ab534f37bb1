import { describe, expect, it } from 'vitest';
import { decisionMismatch, decisionsInForce, MOCK_CONFIG_VARIABLE } from './conformance/decisions-in-force.js';
import { describeAnswer } from './conformance/describe-answer.js';
import { runProbe } from './conformance/run-probes.js';
import { liveRunTarget } from './conformance/target-from-env.js';
import { decisionsTold } from './drift/decision-drift.js';
import { LIVE_REQUEST_CAP, liveProbes, probesUnder } from './probes/probe-catalogue.js';

/**
 * `npm run contracts:live`: the live-safe probes (at most LIVE_REQUEST_CAP requests, each sent once) against
 * ACCUAUTH_BASE_URL, the vendor by default, with ACCUAUTH_API_ID / ACCUAUTH_API_SECRET. The script sets
 * ACCUAUTH_LIVE=1; plain `npm test` collects this file too but never sends anything from it, even when the
 * credentials happen to be in the environment, so a developer's shell cannot spend quota by running the tests.
 *
 * The undocumented cases are judged by the decisions in force: the `decisions:` of the team's mock config named by
 * ACCUAUTH_MOCK_CONFIG, like `drift --config`, else the spec's choices. A probe answered as another alternative
 * would says which decision, and which line of the profile makes the run and the mock answer so.
 */
const resolved = liveRunTarget(process.env);
const skipReason = resolved.ok || resolved.demanded ? undefined : `live contract run skipped: ${resolved.reason}`;
if (skipReason) console.log(skipReason);
const inForce = decisionsInForce(process.env);
// A config that cannot be read fails the run before any request, rather than judging by choices the team did not make.
if (!skipReason && !inForce.ok) throw new Error(`${inForce.reason} (${MOCK_CONFIG_VARIABLE})`);
const decisions = inForce.ok ? inForce.decisions : undefined;

if (!resolved.ok && resolved.demanded) {
  describe('live contract run', () => {
    it('has a target to run against', () => {
      expect.fail(`npm run contracts:live cannot run: ${resolved.reason}; nothing was checked`);
    });
  });
}

const probes = decisions ? probesUnder(liveProbes(), decisions.profile) : liveProbes();

describe.runIf(resolved.ok)(
  `live contract run against ${resolved.ok ? resolved.target.baseUrl : 'the vendor'}${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    it(`sends at most ${LIVE_REQUEST_CAP} requests`, () => {
      expect(probes.length).toBeLessThanOrEqual(LIVE_REQUEST_CAP);
    });

    for (const probe of probes) {
      it(`${probe.name}${probe.spendsQuota ? ' (spends quota)' : ''}: ${probe.checks}`, async () => {
        if (!resolved.ok || !decisions) throw new Error(resolved.ok ? 'no decisions in force' : resolved.reason);
        const outcome = await runProbe({ ...resolved.target, timeoutMs: 20_000 }, probe, {
          faceBox: decisions.profile['face-box'],
        });
        const problems = [...outcome.specProblems, ...outcome.expectationProblems];
        const mismatches = decisionsTold(outcome, decisions.profile).map((told) =>
          decisionMismatch(decisions, told.decision, told.shown[0] ?? ''),
        );
        const heading = [`${probe.name} was answered ${describeAnswer(outcome.answer)}`, ...mismatches].join('\n');
        expect(problems, heading).toEqual([]);
      });
    }
  },
);
