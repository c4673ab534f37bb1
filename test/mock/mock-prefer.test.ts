import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';

const mock = useMock();

describe('Prefer header (Prism convention): every named example is reachable per request', () => {
  for (const example of namedExamples().values()) {
    it(`Prefer: example=${example.name} -> HTTP ${example.httpCode}, the example's body with a fresh request_id`, async () => {
      const expected = example.body as { status: string; request_id: string };
      const answer = expectAnswer(
        await callPredict(mock.url, { headers: { prefer: `example=${example.name}` } }),
        expected.status,
        { httpCode: example.httpCode },
      );
      expect(answer.request_id).not.toBe(expected.request_id);
      expect({ ...answer, request_id: expected.request_id }).toEqual(expected);
    });
  }

  it('Prefer: code=N answers the first example of each documented code', async () => {
    for (const code of [200, 400, 401, 403, 404, 500]) {
      const first = [...namedExamples().values()].find((example) => example.httpCode === code);
      const answer = await callPredict(mock.url, { headers: { prefer: `code=${code}` } });
      expect(answer.httpCode).toBe(code);
      expectAnswer(answer, (first?.body as { status?: string } | undefined)?.status ?? `an example of ${code}`);
    }
  });

  it("Prism's combined form code=403, example=OUT_OF_QUOTA", async () => {
    const answer = await callPredict(mock.url, { headers: { prefer: 'code=403, example=OUT_OF_QUOTA' } });
    expect(answer.httpCode).toBe(403);
    expectAnswer(answer, 'OUT_OF_QUOTA');
  });

  it('reaches every one of the ten status values without credentials or image', async () => {
    for (const status of errorCatalogue().keys()) {
      const answer = await callPredict(mock.url, { credentials: false, headers: { prefer: `example=${status}` } });
      expectAnswer(answer, status);
    }
  });

  it('other preferences are ignored: the request is judged normally', async () => {
    expectAnswer(await callPredict(mock.url, { headers: { prefer: 'dynamic=true' } }), 'INVALID_ARGUMENT');
  });
});
