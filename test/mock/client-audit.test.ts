import { describe, expect, it } from 'vitest';
import { ClientJudge } from '../../mock/core/judge/client-judge.js';
import type { JournalEntry } from '../../mock/core/state/request-journal.js';
import { expectAnswer } from '../support/documented-answer.js';
import { admin, rateWindowMs, useMock } from '../support/mock-server.js';
import { callPredict } from '../support/predict-request.js';
import { distinctImages, runScriptedClient } from '../support/scripted-client.js';

// The client-behaviour audit: per key, what the client did that would cost money or get its key throttled on the
// live API, from every call the mock answered. Each scripted client makes one mistake.
const CLIENT = { id: 'client-id', secret: 'client-secret-5d1e' };

describe('a naive client that retries OUT_OF_QUOTA', () => {
  const mock = useMock({ config: { keys: [{ ...CLIENT, quota: 1 }] } });

  it('is found retrying a non-retriable status, each retry a call that cannot succeed', async () => {
    await runScriptedClient('naive-client', mock.url, distinctImages(2, 20));
    const audit = mock.running.audit();
    expect(audit.counts).toMatchObject({ 'retried-non-retriable': 3, 'retry-too-soon': 0, 'duplicate-image': 0 });
    const [finding] = audit.findings;
    expect(finding).toMatchObject({ kind: 'retried-non-retriable', keyId: 'client-id', count: 3 });
    expect(finding?.example.detail).toMatch(/sent again after OUT_OF_QUOTA/);
    // The refused call and its first retry, as the journal names them.
    const refused = (await mock.running.journal.list()).requests.filter((entry) => entry.status === 'OUT_OF_QUOTA');
    expect(finding?.example.requestIds).toEqual([refused[0]?.requestId, refused[1]?.requestId]);
    expect(finding?.fix).toMatch(/Only RATE_LIMIT_EXCEEDED and INTERNAL_ERROR are worth retrying/);
    // Only the first call passed the quota stage.
    expect(audit.billableCalls).toBe(1);
  });
});

describe('a storm client after RATE_LIMIT_EXCEEDED, on a moved clock', () => {
  let clockMs = Date.parse('2026-12-01T10:00:00Z');
  const mock = useMock({ now: () => clockMs, config: { keys: [{ ...CLIENT, rateLimit: 2 }] } });

  it('is found calling before the rate window reopened; after the window, calling again is fine', async () => {
    const first = await runScriptedClient('storm-client', mock.url, distinctImages(6, 40));
    expect(JSON.parse(first.stdout)).toEqual(['OK', 'OK', ...Array(4).fill('RATE_LIMIT_EXCEEDED')]);
    expect((await admin(mock.url, 'GET', '/audit')).body).toMatchObject({
      counts: { 'retry-too-soon': 3 },
      findings: [{ kind: 'retry-too-soon', keyId: 'client-id', count: 3 }],
    });

    clockMs += await rateWindowMs(mock.url, CLIENT.id);
    const later = await runScriptedClient('storm-client', mock.url, distinctImages(1, 60));
    expect(JSON.parse(later.stdout)).toEqual(['OK']);
    expect(mock.running.audit().counts['retry-too-soon']).toBe(3);
  });
});

describe('a client without a cache', () => {
  const mock = useMock({ config: { audit: { pricePerCall: 0.01 } } });

  it('is found uploading the same image again after it was answered OK', async () => {
    await runScriptedClient('no-cache-client', mock.url, distinctImages(1, 80));
    const audit = mock.running.audit();
    expect(audit).toMatchObject({ billableCalls: 3, estimatedSpend: 0.03, counts: { 'duplicate-image': 2 } });
    expect(audit.findings).toEqual([
      expect.objectContaining({
        kind: 'duplicate-image',
        keyId: 'client-id',
        count: 2,
        fix: expect.stringMatching(/Cache answers/),
      }),
    ]);
  });
});

describe('a client with too many calls in flight', () => {
  const mock = useMock({ config: { latency: { ms: 300 }, audit: { maxConcurrency: 2 } } });

  it('is found over audit.maxConcurrency for its key', async () => {
    const images = distinctImages(4, 90);
    const answers = await Promise.all(images.map((file) => callPredict(mock.url, { file })));
    for (const answer of answers) expectAnswer(answer, 'OK');
    const [finding] = mock.running.audit().findings;
    expect(finding).toMatchObject({ kind: 'over-concurrency', keyId: 'test-id' });
    expect(finding?.example.detail).toMatch(/^[34] calls in flight at once \(at most 2\)$/);
  });

  it('sequential calls are never in flight together', async () => {
    for (const file of distinctImages(4, 95)) expectAnswer(await callPredict(mock.url, { file }), 'OK');
    expect(mock.running.audit().findings).toEqual([]);
  });
});

/** A journal entry as the core writes it, at `atMs` on the mock's clock. */
function entry(atMs: number, fields: Partial<JournalEntry> & Pick<JournalEntry, 'status'>): JournalEntry {
  return {
    at: new Date(atMs).toISOString(),
    receivedAt: new Date(atMs).toISOString(),
    method: 'POST',
    path: '/face/predict_gender',
    headers: {},
    body: { kind: 'form', contentType: 'multipart', field: 'file', imageSha256: 'a'.repeat(64) },
    httpCode: fields.status === 'OK' ? 200 : 400,
    keyId: 'key-1',
    decidedBy: 'derived',
    latencyMs: 0,
    answer: {},
    billable: false,
    ...fields,
  };
}

describe('the judge, fed journal entries', () => {
  it('counts calls refused for a client mistake from their diagnosis, per key and code', () => {
    const judge = new ClientJudge();
    const diagnosis = { code: 'data-url-prefix', value: 'data:image/jpeg;base64,', fix: 'Send the base64 text only.' };
    judge.record(entry(0, { status: 'INVALID_ARGUMENT', requestId: 'TID1', diagnosis }));
    judge.record(entry(1, { status: 'INVALID_ARGUMENT', requestId: 'TID2', diagnosis, body: { kind: 'unread' } }));
    judge.record(entry(2, { status: 'INVALID_ARGUMENT', requestId: 'TID3', keyId: 'key-2', diagnosis }));
    const findings = judge.audit().findings.filter((finding) => finding.kind === 'client-mistake');
    expect(findings).toEqual([
      {
        kind: 'client-mistake',
        keyId: 'key-1',
        code: 'data-url-prefix',
        count: 2,
        example: { requestIds: ['TID1'], detail: 'data-url-prefix: data:image/jpeg;base64,' },
        fix: 'Send the base64 text only.',
      },
      expect.objectContaining({ keyId: 'key-2', count: 1 }),
    ]);
    expect(judge.audit().counts['client-mistake']).toBe(3);
  });

  it('wants a back-off after INTERNAL_ERROR before the same request is sent again', () => {
    const judge = new ClientJudge({ audit: { minRetryDelayMs: 250 } });
    judge.record(entry(1000, { status: 'INTERNAL_ERROR', requestId: 'TID1', latencyMs: 50 }));
    judge.record(entry(1100, { status: 'OK', requestId: 'TID2' }));
    judge.record(entry(2000, { status: 'INTERNAL_ERROR', requestId: 'TID3' }));
    judge.record(
      entry(2250, {
        status: 'OK',
        requestId: 'TID4',
        body: { kind: 'form', field: 'file', imageSha256: 'b'.repeat(64) },
      }),
    );
    const { findings } = judge.audit();
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'retry-too-soon',
        count: 1,
        example: { requestIds: ['TID1', 'TID2'], detail: 'sent again 50 ms after INTERNAL_ERROR (less than 250 ms)' },
      }),
    ]);
  });

  it('does not take another image after a non-retriable status for a retry', () => {
    const judge = new ClientJudge();
    judge.record(entry(0, { status: 'DETECTION_FAILED', requestId: 'TID1' }));
    judge.record(
      entry(1, { status: 'OK', requestId: 'TID2', body: { kind: 'form', field: 'file', imageSha256: 'c'.repeat(64) } }),
    );
    judge.record(entry(2, { status: 'DETECTION_FAILED', requestId: 'TID3' }));
    expect(judge.audit().findings).toEqual([
      expect.objectContaining({
        kind: 'retried-non-retriable',
        count: 1,
        example: expect.objectContaining({ requestIds: ['TID1', 'TID3'] }),
      }),
    ]);
  });

  it('counts OK variants against the spec threshold and how each answer was provoked', () => {
    const judge = new ClientJudge({ require: ['OK', 'KEY_EXPIRED'] });
    const result = (gender: string, beard: boolean, confidence: number) => ({
      request_id: 'TID0',
      status: 'OK',
      result: { gender, beard, confidence, beard_confidence: 0.9, face_box: [1, 2, 3, 4] },
    });
    judge.record(
      entry(0, { status: 'OK', answer: result('Male', true, 0.49), decidedBy: 'scenario', scenario: 'unsure' }),
    );
    judge.record(entry(1, { status: 'OK', answer: result('Male', false, 0.5), decidedBy: 'cassette' }));
    judge.record(
      entry(2, { status: 'KEY_EXPIRED', decidedBy: 'scenario', scenario: 'next answer', body: { kind: 'unread' } }),
    );
    const coverage = judge.coverage();
    expect(coverage.okVariants).toEqual({
      gender: { Male: 2, Female: 0 },
      beard: { true: 1, false: 1 },
      confidence: { below: 1, atOrAbove: 1 },
      missing: ['gender=Female'],
    });
    expect(coverage.provokedBy).toEqual({ OK: { scenario: 1, cassette: 1 }, KEY_EXPIRED: { 'next-answer': 1 } });
    expect(coverage.unmet).toEqual([]);
  });
});
