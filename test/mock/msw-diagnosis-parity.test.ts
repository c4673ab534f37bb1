import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../mock/core/state/request-journal.js';
import { startMock } from '../../mock/index.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { BOTH_FIELDS, BOTH_FIELDS_REJECTED, CLIENT_MISTAKES } from '../support/client-mistakes.js';
import { expectAnswer } from '../support/documented-answer.js';
import { callPredict } from '../support/predict-request.js';

/**
 * The MSW handlers and the HTTP server run one core, but each adapter turns its own request into the core's input
 * (multer against the Fetch API's FormData): the same mistakes must get the same diagnoses through both.
 */
const cases = [...CLIENT_MISTAKES, BOTH_FIELDS];
type Seen = { status: string; diagnosis: JournalEntry['diagnosis'] };

async function diagnosesThrough(baseUrl: string, journal: () => Promise<{ requests: JournalEntry[] }>) {
  const seen: Seen[] = [];
  for (const mistake of cases) {
    const body = expectAnswer(await callPredict(baseUrl, mistake.call), mistake.status);
    const { requests } = await journal();
    const entry = requests.find((candidate) => candidate.requestId === body.request_id);
    seen.push({ status: body.status as string, diagnosis: entry?.diagnosis });
  }
  return seen;
}

const config = { ...BOTH_FIELDS_REJECTED, diagnosisHeader: true };
let overHttp: Seen[] = [];

// The server's answers first, before MSW patches this process's fetch.
beforeAll(async () => {
  const mock = await startMock({ config });
  try {
    overHttp = await diagnosesThrough(mock.url, () => mock.journal.list());
  } finally {
    await mock.close();
  }
});

const msw = createMswHandlers({ config });
const server = setupServer(...msw.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('MSW handlers diagnose as the HTTP server does', () => {
  it('the same status, code, value and fix for every mistake', async () => {
    const throughMsw = await diagnosesThrough(VENDOR_BASE_URL, () => msw.core.journal.list());
    expect(overHttp).toHaveLength(cases.length);
    for (const [index, mistake] of cases.entries()) {
      expect(throughMsw[index], mistake.name).toEqual(overHttp[index]);
      expect(throughMsw[index]?.diagnosis?.code, mistake.name).toBe(mistake.code);
    }
  });
});
