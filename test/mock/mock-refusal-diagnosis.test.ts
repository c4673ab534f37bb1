import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../mock/core/state/request-journal.js';
import {
  BOTH_FIELDS,
  BOTH_FIELDS_REJECTED,
  CLIENT_MISTAKES,
  type ClientMistakeCase,
  GOOD_JPEG,
} from '../support/client-mistakes.js';
import { expectAnswer } from '../support/documented-answer.js';
import { useMock } from '../support/mock-server.js';
import { multipartBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict, TEST_SECRET } from '../support/predict-request.js';
import { rawRequest } from '../support/raw-http.js';

const HEADER = 'x-accuauth-mock-diagnosis';

// One mock per setting, shared by the file: each test reads only the journal entry of its own request id.
const faithful = useMock({}, { shared: true });
const withHeader = useMock({ config: { diagnosisHeader: true } }, { shared: true });
const bothRejected = useMock({ config: BOTH_FIELDS_REJECTED }, { shared: true });
const withKeys = useMock(
  {
    config: {
      keys: [
        { id: 'team-key', secret: 'team-secret-0c9d2b' },
        { id: 'old-key', secret: 'old-secret-77', expiresAt: '2001-01-01T00:00:00Z' },
      ],
    },
  },
  { shared: true },
);

async function entryOf(
  mock: { running: { journal: { list(): Promise<{ requests: JournalEntry[] }> } } },
  requestId: string,
) {
  const { requests } = await mock.running.journal.list();
  const entry = requests.find((candidate) => candidate.requestId === requestId);
  if (!entry) throw new Error(`no journal entry for ${requestId}`);
  return entry;
}

/** The call against `mock`: the vendor's answer (documented, the expected status) and the journal entry for it. */
async function refused(mock: typeof faithful, mistake: ClientMistakeCase) {
  const answer = await callPredict(mock.url, mistake.call);
  const body = expectAnswer(answer, mistake.status);
  return { answer, body, entry: await entryOf(mock, body.request_id) };
}

describe.concurrent('every refusal for a mistake of the client carries a diagnosis', () => {
  it.each(CLIENT_MISTAKES.map((mistake) => [mistake.name, mistake] as const))('%s', async (_, mistake) => {
    const { answer, body, entry } = await refused(faithful, mistake);
    expect(entry.diagnosis?.code).toBe(mistake.code);
    if (mistake.value !== undefined) expect(entry.diagnosis?.value).toContain(mistake.value);
    expect(entry.diagnosis?.fix).toMatch(/\w{3,}/);
    expect(entry.diagnosis?.closest).toMatch(
      /^POST \/face\/predict_gender with headers X-DF-API-ID and X-DF-API-SECRET/,
    );
    // The vendor's answer, exactly: the documented code and body, and no header of the mock's own.
    expect(answer.headers[HEADER]).toBeUndefined();
    expect(Object.keys(body).sort()).toEqual(['reason', 'request_id', 'status']);
    expect(entry.status).toBe(mistake.status);
    expect(entry.httpCode).toBe(answer.httpCode);
    // Never a secret, wherever the client put it.
    expect(JSON.stringify(entry)).not.toContain(TEST_SECRET);
  });

  it('the header carries the same diagnosis only when the config asks, and the answer is otherwise the same', async () => {
    for (const mistake of CLIENT_MISTAKES) {
      const plain = await refused(faithful, mistake);
      const told = await refused(withHeader, mistake);
      const header = told.answer.headers[HEADER];
      expect(header, mistake.name).toMatch(/^[\x20-\x7e]+$/);
      const { closest: _closest, ...shown } = told.entry.diagnosis ?? {};
      expect(JSON.parse(header ?? '{}')).toEqual(shown);
      expect(header).not.toContain(TEST_SECRET);
      // Same code, same status, same reason: the header is the only difference.
      expect(told.answer.httpCode).toBe(plain.answer.httpCode);
      expect({ ...told.body, request_id: '' }).toEqual({ ...plain.body, request_id: '' });
      expect(plain.answer.headers[HEADER]).toBeUndefined();
    }
  });

  it('both fields are a mistake only under decision both-fields: reject', async () => {
    const { entry } = await refused(bothRejected, BOTH_FIELDS);
    expect(entry.diagnosis?.code).toBe('both-fields');
    const accepted = expectAnswer(await callPredict(faithful.url, BOTH_FIELDS.call), 'OK');
    expect((await entryOf(faithful, accepted.request_id)).diagnosis).toBeUndefined();
  });

  it('a pair the configured keys do not know names the id, never the secret', async () => {
    const wrong = {
      name: 'wrong secret',
      call: { file: GOOD_JPEG, credentials: { 'X-DF-API-ID': 'team-key', 'X-DF-API-SECRET': TEST_SECRET } },
      status: 'UNAUTHORIZED',
      code: 'unknown-credentials',
    };
    const { entry } = await refused(withKeys, wrong);
    expect(entry.diagnosis).toMatchObject({ code: 'unknown-credentials', value: 'team-key' });
    expect(JSON.stringify(entry)).not.toContain(TEST_SECRET);
  });

  it('a request Node cannot parse is answered the documented 400 and journaled with a diagnosis', async () => {
    const exchange = await rawRequest({
      url: faithful.url,
      head: 'POST /face/predict_gender HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n',
      timeoutMs: 5_000,
    });
    const body = expectAnswer(exchange.answer ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
    const entry = await entryOf(faithful, body.request_id);
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/face/predict_gender',
      diagnosis: { code: 'malformed-http' },
    });
  });
});

describe.concurrent('answers that are not mistakes of the client carry no diagnosis', () => {
  it('an accepted upload, a Prefer-scripted error, an expired key, and the reserved fake id', async () => {
    const ok = expectAnswer(await callPredict(faithful.url, { file: GOOD_JPEG }), 'OK');
    const preferred = expectAnswer(
      await callPredict(faithful.url, { file: GOOD_JPEG, headers: { prefer: 'example=INVALID_ARGUMENT' } }),
      'INVALID_ARGUMENT',
    );
    const fake = expectAnswer(
      await callPredict(faithful.url, {
        file: GOOD_JPEG,
        credentials: { 'X-DF-API-ID': 'accuauth-kit-fake-1', 'X-DF-API-SECRET': 'x' },
      }),
      'UNAUTHORIZED',
    );
    const expired = expectAnswer(
      await callPredict(withKeys.url, {
        file: GOOD_JPEG,
        credentials: { 'X-DF-API-ID': 'old-key', 'X-DF-API-SECRET': 'old-secret-77' },
      }),
      'KEY_EXPIRED',
    );
    for (const [mock, id] of [
      [faithful, ok.request_id],
      [faithful, preferred.request_id],
      [faithful, fake.request_id],
      [withKeys, expired.request_id],
    ] as const) {
      expect((await entryOf(mock, id)).diagnosis).toBeUndefined();
    }
  });
});

describe.concurrent('the rest of the catalogue', () => {
  const strictReading = useMock(
    {
      config: {
        decisions: {
          'urlencoded-base64': 'reject',
          'base64-whitespace': 'reject',
          'empty-field': 'invalid',
          'image-format': 'by-declared-type',
        },
      },
    },
    { shared: true },
  );
  const base64 = GOOD_JPEG.toString('base64');
  const cases: [string, typeof faithful, ClientMistakeCase][] = [
    [
      'urlencoded under decision urlencoded-base64: reject',
      strictReading,
      {
        name: '',
        call: { urlencoded: true, imageBase64: base64 },
        status: 'INVALID_ARGUMENT',
        code: 'urlencoded-not-accepted',
      },
    ],
    [
      'MIME line breaks under base64-whitespace: reject',
      strictReading,
      {
        name: '',
        call: { imageBase64: base64.replace(/(.{76})/g, '$1\r\n') },
        status: 'INVALID_ARGUMENT',
        code: 'base64-white-space',
      },
    ],
    [
      'an empty image_base64 under empty-field: invalid',
      strictReading,
      { name: '', call: { imageBase64: '' }, status: 'INVALID_ARGUMENT', code: 'empty-field', value: 'image_base64' },
    ],
    [
      'a JPEG declared image/png under image-format: by-declared-type',
      strictReading,
      {
        name: '',
        call: {
          body: multipartBody([{ name: 'file', value: GOOD_JPEG, filename: 'face.png', contentType: 'image/png' }]),
          headers: { 'content-type': multipartContentType() },
        },
        status: 'INVALID_ARGUMENT',
        code: 'declared-type-mismatch',
        value: 'image/png',
      },
    ],
    [
      'an empty image_base64 read as absent',
      faithful,
      { name: '', call: { imageBase64: '' }, status: 'INVALID_ARGUMENT', code: 'empty-field' },
    ],
    [
      'text that is not base64',
      faithful,
      { name: '', call: { imageBase64: 'not base64 at all!' }, status: 'INVALID_ARGUMENT', code: 'invalid-base64' },
    ],
    [
      'a JPEG cut in half',
      faithful,
      {
        name: '',
        call: { file: GOOD_JPEG.subarray(0, GOOD_JPEG.length >> 1) },
        status: 'INVALID_ARGUMENT',
        code: 'corrupt-image',
      },
    ],
    ['a POST without a body', faithful, { name: '', call: {}, status: 'INVALID_ARGUMENT', code: 'no-body' }],
    [
      'a text/plain body',
      faithful,
      {
        name: '',
        call: { body: base64, headers: { 'content-type': 'text/plain' } },
        status: 'INVALID_ARGUMENT',
        code: 'unsupported-content-type',
        value: 'text/plain',
      },
    ],
  ];
  it.each(cases)('%s', async (_, mock, mistake) => {
    const { entry } = await refused(mock, mistake);
    expect(entry.diagnosis?.code).toBe(mistake.code);
    if (mistake.value !== undefined) expect(entry.diagnosis?.value).toBe(mistake.value);
  });

  it('headers over the size limit, refused by the HTTP parser, are journaled with a diagnosis and no header value', async () => {
    const huge = `${'x'.repeat(20_000)}${TEST_SECRET}`;
    const exchange = await rawRequest({
      url: faithful.url,
      head: `POST /face/predict_gender HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${huge}\r\n\r\n`,
      timeoutMs: 5_000,
    });
    const body = expectAnswer(exchange.answer ?? { httpCode: 0, headers: {}, text: '' }, 'INVALID_ARGUMENT');
    const entry = await entryOf(faithful, body.request_id);
    expect(entry.diagnosis?.code).toBe('headers-too-large');
    expect(JSON.stringify(entry)).not.toContain(TEST_SECRET);
  });
});
