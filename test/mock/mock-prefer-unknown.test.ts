import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { specValidators } from '../../src/validation/spec-validators.js';
import { admin, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

// A Prefer typo must not look like a vendor answer: with the vendor's 400 INVALID_ARGUMENT a test expecting a 400
// passed by accident. The mock answers an RFC 9457 problem with a code the vendor never uses, naming the examples.
const mock = useMock();
const msw = createMswHandlers();
const server = setupServer(...msw.handlers);
// The listening mock is on loopback and must pass through; anything else unhandled is an error (no network).
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterAll(() => server.close());

/** A call that names `prefer`, without credentials or body: the answer is the mock's own problem, not the vendor's. */
async function preferred(baseUrl: string, prefer: string) {
  const answer = await callPredict(baseUrl, { credentials: false, headers: { prefer } });
  return {
    ...answer,
    body: JSON.parse(answer.text) as Record<string, unknown> & { detail: string; knownExamples: string[] },
  };
}

describe('Prefer naming no example of the spec', () => {
  for (const [where, baseUrl] of [
    ['the server', () => mock.url],
    ['the MSW handlers', () => VENDOR_BASE_URL],
  ] as const) {
    for (const prefer of ['example=NOPE', 'code=401, example=OK', 'code=418']) {
      it(`${where}: "${prefer}" is a 422 application/problem+json listing the known examples`, async () => {
        const answer = await preferred(baseUrl(), prefer);
        expect(answer.httpCode).toBe(422);
        expect(specValidators().documentedCodes).not.toContain(422);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(answer.body).toMatchObject({
          type: 'urn:accuauth-kit:problem:unknown-prefer-example',
          title: 'Prefer names no example of the spec',
          status: 422,
        });
        expect(answer.body.detail).toContain('OUT_OF_QUOTA (403)');
        expect(answer.body.knownExamples).toContain('OK_FEMALE (200)');
        expect(answer.body).not.toHaveProperty('request_id');
      });
    }
  }

  it('the journal records it as MOCK_PROBLEM, not as a vendor status', async () => {
    await preferred(mock.url, 'example=TYPO');
    const journal = (await admin(mock.url, 'GET', '/requests')).body as {
      requests: { status: string; httpCode: number }[];
    };
    expect(journal.requests.at(-1)).toMatchObject({ status: 'MOCK_PROBLEM', httpCode: 422 });
  });
});
