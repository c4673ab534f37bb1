import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockConfig } from '../../mock/core/config/mock-config.js';
import { startMock } from '../../mock/index.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict, type PredictCall } from '../support/predict-request.js';
import { distinctImages } from '../support/scripted-client.js';

// The MSW handlers and the HTTP server run the same core: the same calls give the same coverage and audit.
const config: MockConfig = {
  keys: [
    { id: 'team-key', secret: 'team-secret', quota: 3 },
    { id: 'old-key', secret: 'old-secret', expiresAt: '2020-01-01T00:00:00Z' },
  ],
  coverage: { require: ['all'] },
  audit: { pricePerCall: 0.5 },
};
const team = { 'x-df-api-id': 'team-key', 'x-df-api-secret': 'team-secret' };
const [a, b, c] = distinctImages(3, 500) as [Buffer, Buffer, Buffer];
const calls: [PredictCall, string][] = [
  [{ file: a, credentials: team }, 'OK'],
  [{ imageBase64: b.toString('base64'), credentials: team }, 'OK'],
  [{ imageBase64: c.toString('base64'), urlencoded: true, credentials: team }, 'OK'],
  [{ file: a, credentials: team }, 'OUT_OF_QUOTA'],
  [{ file: a, credentials: team }, 'OUT_OF_QUOTA'],
  [{ file: a, credentials: { 'x-df-api-id': 'old-key', 'x-df-api-secret': 'old-secret' } }, 'KEY_EXPIRED'],
  [{ headers: { prefer: 'example=INTERNAL_ERROR' } }, 'INTERNAL_ERROR'],
  [{ credentials: team, path: '/face/predict_age' }, 'NOT_FOUND'],
  [{ credentials: team, body: new URLSearchParams({ image_base64: 'bm90IGFuIGltYWdl' }) }, 'INVALID_ARGUMENT'],
];

const msw = createMswHandlers({ config });
const server = setupServer(...msw.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());

describe('coverage and audit from MSW and from the server', () => {
  it('are the same for the same calls', async () => {
    const express = await startMock({ config });
    try {
      for (const [call, status] of calls) {
        expectAnswer(await callPredict(express.url, call), status as 'OK');
        expectAnswer(await callPredict(VENDOR_BASE_URL, call), status as 'OK');
      }
      const fromServer = express.coverage();
      expect(msw.coverage()).toEqual(fromServer);
      expect(fromServer).toMatchObject({
        calls: 9,
        seen: { OK: 3, OUT_OF_QUOTA: 2, KEY_EXPIRED: 1, INTERNAL_ERROR: 1, NOT_FOUND: 1, INVALID_ARGUMENT: 1 },
        missingInputWays: [],
      });
      expect(fromServer.unmet).toEqual([
        'DETECTION_FAILED',
        'DOWNLOAD_ERROR',
        'UNAUTHORIZED',
        'NO_PERMISSION',
        'RATE_LIMIT_EXCEEDED',
      ]);
      const strip = (audit: ReturnType<typeof msw.audit>) => ({
        ...audit,
        findings: audit.findings.map(({ example, ...rest }) => ({ ...rest, detail: example.detail })),
      });
      expect(strip(msw.audit())).toEqual(strip(express.audit()));
      expect(express.audit()).toMatchObject({
        billableCalls: 3,
        estimatedSpend: 1.5,
        counts: { 'retried-non-retriable': 1 },
      });
      expect(() => msw.assertCovered('OK', 'KEY_EXPIRED')).not.toThrow();
      expect(() => msw.assertCovered()).toThrow(/never got DETECTION_FAILED/);
    } finally {
      await express.close();
    }
  });
});
