import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccuAuthApiError,
  AccuAuthBadRequestError,
  type AccuAuthClient,
  AccuAuthForbiddenError,
  AccuAuthInternalError,
  AccuAuthNotFoundError,
  AccuAuthUnauthorizedError,
  createClient,
} from '../../src/index.js';
import { errorCatalogue } from '../../src/spec/error-catalogue.js';
import { namedExamples } from '../../src/spec/named-examples.js';
import { type RunningPrism, startPrism } from '../support/prism.js';

// Prism answers from the spec alone, so this file shows the client and the spec agree without our mock.
let prism: RunningPrism;
let client: AccuAuthClient;
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  prism = await startPrism({ mode: 'mock' });
  client = createClient({ baseUrl: prism.url, apiId: 'prism-id', apiSecret: 'prism-secret', timeoutMs: 10_000 });
});
afterAll(() => prism?.stop());

// The class a caller switches on for each HTTP family; the status -> code half comes from the spec's catalogue.
type ApiErrorClass = new (...args: never[]) => AccuAuthApiError;
const CLASS_OF_CODE = new Map<number, ApiErrorClass>([
  [400, AccuAuthBadRequestError],
  [401, AccuAuthUnauthorizedError],
  [403, AccuAuthForbiddenError],
  [404, AccuAuthNotFoundError],
  [500, AccuAuthInternalError],
]);

const examples = [...namedExamples().values()];

describe("the client against Prism's mock of the spec", () => {
  it('the spec has the twelve named examples this file walks through', () => {
    expect(examples.map((example) => example.name).sort()).toEqual(
      ['OK', 'OK_FEMALE', ...errorCatalogue().keys()].sort(),
    );
  });

  const successes = examples.filter((example) => example.httpCode < 400);
  const failures = examples.filter((example) => example.httpCode >= 400);

  it.each(successes)('example $name resolves with exactly its body', async (example) => {
    const prefer = `code=${example.httpCode}, example=${example.name}`;
    await expect(client.predictGender({ file: PNG_HEAD }, { prefer })).resolves.toEqual(example.body);
    await expect(client.predictGender({ imageBase64: 'iVBORw0KGgo=' }, { prefer })).resolves.toEqual(example.body);
  });

  it.each(failures)('example $name rejects with its family class, status, reason and request id', async (example) => {
    // Prism only looks past the 2xx responses for an example when the code is named too.
    const prefer = `code=${example.httpCode}, example=${example.name}`;
    const error = await client.predictGender({ file: PNG_HEAD }, { prefer }).then(
      () => {
        throw new Error(`example ${example.name} resolved`);
      },
      (rejection: unknown) => rejection,
    );
    const body = example.body as { status: string; reason: string; request_id: string };
    const expectedClass = CLASS_OF_CODE.get(example.httpCode);
    expect(expectedClass).toBeDefined();
    expect(error).toBeInstanceOf(expectedClass as ApiErrorClass);
    expect(error).toMatchObject({
      status: body.status,
      reason: body.reason,
      requestId: body.request_id,
      httpCode: errorCatalogue().get(body.status as never)?.httpCode,
    });
  });
});
