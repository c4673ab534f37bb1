import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyConfig, Scenario } from '../../mock/core/index.js';
import { type RunningMock, startMock } from '../../mock/start-mock.js';
import { createClient } from '../../src/client/create-client.js';
import { makePng } from '../../src/image/sample-images.js';
import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../src/vendor/vendor-request.js';
import { admin } from '../../test/support/mock-server.js';
import { liveRunTarget } from '../conformance/target-from-env.js';
import { PACT_FILE, PLACEHOLDER_KEY, PROVIDER, STATES } from './pact-participants.js';
import { writeStatelessPact } from './stateless-pact.js';
import { startVendorRelay } from './vendor-relay.js';

// The pact's placeholder key k1, as the mock must know it for the interactions to be answered at all.
const K1: KeyConfig = { id: PLACEHOLDER_KEY.apiId, secret: PLACEHOLDER_KEY.apiSecret };
const PAST = '2000-01-01T00:00:00Z';
/** The state name Pact's verifier asks to set up for an interaction without a provider state. */
const NO_PROVIDER_STATE = '';

let mock: RunningMock;
let scratch = '';

/** A state change the verifier relies on: anything but 200 stops the run with the admin API's reason. */
async function setState(method: 'PUT' | 'POST', path: string, body?: unknown): Promise<void> {
  const answer = await admin(mock.url, method, path, body);
  if (answer.httpCode !== 200) throw new Error(`admin ${method} ${path} -> ${answer.httpCode}: ${answer.text}`);
}

/** Only key k1, active, no scenario, all counters reset: what a stateless interaction runs against. */
async function baseline(key: Partial<KeyConfig> = {}, scenarios: Scenario[] = []): Promise<void> {
  await setState('PUT', '/keys', { keys: [{ ...K1, ...key }] });
  await setState('PUT', '/scenarios', { scenarios });
  await setState('POST', '/reset');
}

/** Uses up the one call a second that `rateLimit: 1` allows, so the replayed request is the one over the limit. */
async function spendRateWindow(): Promise<void> {
  const side = imageConstraints().minSide;
  const client = createClient({ baseUrl: mock.url, apiId: K1.id, apiSecret: K1.secret });
  await client.predictGender({ file: makePng({ width: side, height: side }) });
}

const setUp = (arrange: () => Promise<void>) => async () => {
  await arrange();
  return undefined;
};

const nextCallFails = Object.fromEntries(
  [...errorCatalogue().keys()].map((status) => [
    STATES.nextCallFails(status),
    setUp(() => baseline({}, [{ name: `pact: ${status}`, match: { keyId: K1.id }, respond: { status } }])),
  ]),
);

const stateHandlers = {
  // Pact asks for the state "" before an interaction that names none; without a handler it warns on every one.
  [NO_PROVIDER_STATE]: setUp(() => baseline()),
  [STATES.activeKey]: setUp(() => baseline()),
  [STATES.expiredKey]: setUp(() => baseline({ expiresAt: PAST })),
  [STATES.noPermission]: setUp(() => baseline({ permission: false })),
  [STATES.quotaUsedUp]: setUp(() => baseline({ quota: 0 })),
  [STATES.rateLimited]: setUp(async () => {
    await baseline({ rateLimit: 1 });
    await spendRateWindow();
  }),
  ...nextCallFails,
};

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'accuauth-verify-'));
  mock = await startMock({ port: 0 });
  await baseline();
});
afterAll(async () => {
  await mock?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe(`provider ${PROVIDER}: the mock honours the pact`, () => {
  it('every interaction of the committed pact, with provider states set through the admin API', async () => {
    await new Verifier({
      provider: PROVIDER,
      providerBaseUrl: mock.url,
      pactUrls: [PACT_FILE],
      stateHandlers,
      // Whatever an interaction's state changed, the next one (stateless ones included) starts from the baseline.
      afterEach: () => baseline(),
      logLevel: 'warn',
    }).verifyProvider();
  });

  it('fails when a provider state is not set up: the quota interaction against a key with quota left', async () => {
    const pact = JSON.parse(readFileSync(PACT_FILE, 'utf8')) as {
      interactions: { providerStates?: { name: string }[] }[];
    };
    const quotaOnly = {
      ...pact,
      interactions: pact.interactions.filter((i) => i.providerStates?.[0]?.name === STATES.quotaUsedUp),
    };
    expect(quotaOnly.interactions).toHaveLength(1);
    const path = join(scratch, 'quota-only.json');
    writeFileSync(path, JSON.stringify(quotaOnly));
    const verification = new Verifier({
      provider: PROVIDER,
      providerBaseUrl: mock.url,
      pactUrls: [path],
      stateHandlers: { [STATES.quotaUsedUp]: setUp(() => baseline()) },
      logLevel: 'error',
    }).verifyProvider();
    await expect(verification).rejects.toThrow(/OUT_OF_QUOTA/);
  });

  it("the live run's filter keeps exactly the interactions without provider state, and the mock passes them through the live run's relay", async () => {
    const stateless = writeStatelessPact(PACT_FILE, scratch);
    expect(stateless.descriptions.sort()).toEqual([
      'a face image with credentials nobody issued',
      'a file that is not an image',
    ]);
    const relay = await startVendorRelay(
      { baseUrl: mock.url, apiId: K1.id, apiSecret: K1.secret },
      { placeholder: PLACEHOLDER_KEY, timeoutMs: 10_000, maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES },
    );
    try {
      await new Verifier({
        provider: PROVIDER,
        providerBaseUrl: relay.url,
        pactUrls: [stateless.path],
        stateHandlers: { [NO_PROVIDER_STATE]: setUp(() => baseline()) },
        logLevel: 'warn',
      }).verifyProvider();
    } finally {
      await relay.close();
    }
  });
});

// The same gate as the live contract run (contracts/live.test.ts): credentials from the environment, the vendor's
// URL unless ACCUAUTH_BASE_URL says otherwise, and only `npm run contracts:live` (ACCUAUTH_LIVE=1) sends anything.
const resolved = liveRunTarget(process.env);
const liveSkip = resolved.ok || resolved.demanded ? undefined : `live pact verification skipped: ${resolved.reason}`;
if (liveSkip) console.info(liveSkip);

describe(`provider ${PROVIDER}: the live API honours the stateless interactions`, () => {
  if (!resolved.ok && resolved.demanded) {
    // `npm run contracts:live` asked for the live run: without a target it fails rather than pass unchecked.
    it('has a target to verify against', () => {
      expect.fail(`npm run contracts:live cannot verify the live API: ${resolved.reason}; nothing was checked`);
    });
  }
  it.runIf(resolved.ok)(
    `verifies the interactions without provider state against the live API${liveSkip ? ` (${liveSkip})` : ''}`,
    async () => {
      if (!resolved.ok) throw new Error(resolved.reason);
      const stateless = writeStatelessPact(PACT_FILE, scratch);
      // The verifier talks to a loopback relay that holds the key and sends through the kit's one vendor request.
      const relay = await startVendorRelay(resolved.target, {
        placeholder: PLACEHOLDER_KEY,
        timeoutMs: 20_000,
        maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
      });
      try {
        await new Verifier({
          provider: PROVIDER,
          providerBaseUrl: relay.url,
          pactUrls: [stateless.path],
          // The live API cannot be put into a state, and a stateless interaction needs none.
          stateHandlers: { [NO_PROVIDER_STATE]: async () => undefined },
          logLevel: 'warn',
        }).verifyProvider();
      } finally {
        await relay.close();
      }
    },
  );
});
