import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimits } from '../../mock/core/body-limits.js';
import { type RunningMock, startMock } from '../../mock/index.js';
import { makePng } from '../../src/image/sample-images.js';
import { specDecisionProfile } from '../../src/spec/decision-catalogue.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict } from '../support/predict-request.js';
import { type RunningPrism, startPrism } from '../support/prism.js';

// A proxy keeps its connections to the mock open and sends the next request on one that has already carried
// several: Prism's `proxy --errors` (from the devDependencies) relays ordinary uploads, then a 6 MB one the mock
// answers 400 before it has read it all. The mock must answer it on that reused connection as it does on a fresh
// one, so that Prism relays the documented 400 rather than its own 500 for a `write EPIPE`. Prism takes seconds
// to read and validate a 6 MB body on a loaded machine, during which its pooled connection sits idle: one round
// idles longer than Node's default keep-alive (5 s, +1 s), which the mock once closed under Prism's feet.
const IDLE_LONGER_THAN_NODE_DEFAULT_MS = 6_500;
const { fileBytes } = bodyLimits(specDecisionProfile());
const ORDINARY_REQUESTS = 15;
const ROUNDS = 3;
const oversized = Buffer.alloc(fileBytes + 1024 * 1024, 0x5a);
// Prism relays bodies as text, so the ordinary uploads carry their image as `image_base64` (a binary file part
// would reach the mock mangled); the oversized one is plain ASCII bytes, the same after the trip.
const ordinary = makePng({ width: 200, height: 200, seed: 4 }).toString('base64');

let mock: RunningMock;
let prism: RunningPrism;

beforeAll(async () => {
  mock = await startMock({ port: 0 });
  prism = await startPrism({ mode: 'proxy', upstream: mock.url, errors: true });
}, 40_000);
afterAll(async () => {
  await prism?.stop();
  await mock?.close();
});

describe('a proxy reusing its connections to the mock', () => {
  it(`relays the documented 400 for a 6 MB upload after ${ORDINARY_REQUESTS} ordinary requests, ${ROUNDS} of ${ROUNDS}`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let i = 0; i < ORDINARY_REQUESTS; i += 1) {
        expectAnswer(await callPredict(prism.url, { imageBase64: ordinary }), 'OK');
      }
      if (round === 1) await new Promise((resolve) => setTimeout(resolve, IDLE_LONGER_THAN_NODE_DEFAULT_MS));
      const answer = await callPredict(prism.url, { file: oversized });
      outcomes.push(`${answer.httpCode} ${answer.text.slice(0, 120)}`);
    }
    for (const outcome of outcomes) expect(outcome).toMatch(/^400 .*INVALID_ARGUMENT/);
    expect(prism.output()).not.toMatch(/EPIPE|ECONNRESET|socket hang up/);
  }, 120_000);
});
