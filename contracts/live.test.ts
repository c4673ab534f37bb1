import { describe, expect, it } from 'vitest';
import { describeAnswer } from './conformance/describe-answer.js';
import { runProbe } from './conformance/run-probes.js';
import { liveRunTarget } from './conformance/target-from-env.js';
import { LIVE_REQUEST_CAP, liveProbes } from './probes/probe-catalogue.js';

/**
 * `npm run contracts:live`: the live-safe probes (at most LIVE_REQUEST_CAP requests, each sent once) against
 * ACCUAUTH_BASE_URL, the vendor by default, with ACCUAUTH_API_ID / ACCUAUTH_API_SECRET. The script sets
 * ACCUAUTH_LIVE=1; plain `npm test` collects this file too but never sends anything from it, even when the
 * credentials happen to be in the environment, so a developer's shell cannot spend quota by running the tests.
 */
const resolved = liveRunTarget(process.env);
const skipReason = resolved.ok || resolved.demanded ? undefined : `live contract run skipped: ${resolved.reason}`;
if (skipReason) console.log(skipReason);

if (!resolved.ok && resolved.demanded) {
  describe('live contract run', () => {
    it('has a target to run against', () => {
      expect.fail(`npm run contracts:live cannot run: ${resolved.reason}; nothing was checked`);
    });
  });
}

const probes = liveProbes();

describe.runIf(resolved.ok)(
  `live contract run against ${resolved.ok ? resolved.target.baseUrl : 'the vendor'}${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    it(`sends at most ${LIVE_REQUEST_CAP} requests`, () => {
      expect(probes.length).toBeLessThanOrEqual(LIVE_REQUEST_CAP);
    });

    for (const probe of probes) {
      it(`${probe.name}${probe.spendsQuota ? ' (spends quota)' : ''}: ${probe.checks}`, async () => {
        if (!resolved.ok) throw new Error(resolved.reason);
        const outcome = await runProbe({ ...resolved.target, timeoutMs: 20_000 }, probe);
        const problems = [...outcome.specProblems, ...outcome.expectationProblems];
        expect(problems, `${probe.name} was answered ${describeAnswer(outcome.answer)}`).toEqual([]);
      });
    }
  },
);
