import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock } from '../../mock/start-mock.js';
import { parseCassette } from '../../src/cassette/cassette.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { expectAnswer } from '../support/documented-answer.js';
import { unusedPort } from '../support/free-port.js';
import { runCli, startMockProcess } from '../support/mock-process.js';
import { admin } from '../support/mock-server.js';
import { type Answer, callPredict } from '../support/predict-request.js';

/**
 * `accuauth-kit mock --proxy URL --record FILE`, as a process: a small test suite run through it
 * against a stand-in of the vendor fills the cassette, and the cassette then replays with the stand-in stopped.
 */
const KEY = { id: 'proxy-id', secret: 'proxy-secret-93b7e1f0' };
const CREDENTIALS = { 'x-df-api-id': KEY.id, 'x-df-api-secret': KEY.secret };
const face = makeJpeg({ width: 320, height: 320, seed: 201 });
const other = makePng({ width: 256, height: 256, seed: 202 });
const tiny = makePng({ width: 40, height: 40, seed: 203 });
const refused = makeJpeg({ width: 300, height: 300, seed: 204 });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-proxy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The "test suite" a team runs: three images the vendor judges, and one call with a wrong secret. */
async function suite(url: string): Promise<Answer[]> {
  return [
    await callPredict(url, { file: face, credentials: CREDENTIALS }),
    await callPredict(url, { imageBase64: Buffer.from(other).toString('base64'), credentials: CREDENTIALS }),
    await callPredict(url, { file: tiny, credentials: CREDENTIALS }),
    await callPredict(url, { file: face, credentials: CREDENTIALS }),
  ];
}

/** Each answer of the suite is documented, with these statuses. */
const SUITE_STATUSES = ['OK', 'OK', 'INVALID_ARGUMENT', 'OK'];
const bodiesOf = (answers: Answer[]) =>
  answers.map((answer, index) => expectAnswer(answer, SUITE_STATUSES[index] ?? 'none', { secrets: [KEY.secret] }));

const withoutId = (answer: Answer) => {
  const { request_id: _id, ...body } = JSON.parse(answer.text) as { request_id: string };
  return { httpCode: answer.httpCode, body };
};

describe('the recording proxy', () => {
  it('relays uploads with the caller key, records the answers, then replays them without the vendor', async () => {
    const vendor = await startMock({ config: { keys: [{ ...KEY }] } });
    const cassette = join(dir, 'recorded.yaml');
    const proxy = await startMockProcess({ args: ['--proxy', vendor.url, '--record', cassette] });
    let proxied: Answer[];
    let wrongKey: Answer;
    try {
      proxied = await suite(proxy.url);
      // The vendor judges the key: a wrong secret gets its 401, which is relayed but never recorded.
      wrongKey = await callPredict(proxy.url, {
        file: refused,
        credentials: { ...CREDENTIALS, 'x-df-api-secret': 'wrong-secret-0000' },
      });
      // The journal tells a live relay from a replay of what the proxy had recorded.
      const journal = (await admin(proxy.url, 'GET', '/requests')).body as { requests: { decidedBy: string }[] };
      expect(journal.requests.map((entry) => entry.decidedBy)).toEqual([
        'proxy',
        'proxy',
        'proxy',
        'cassette',
        'proxy',
      ]);
    } finally {
      expect(await proxy.stop()).toBe(0);
    }
    expect(proxied.map((answer) => answer.httpCode)).toEqual([200, 200, 400, 200]);
    const proxiedBodies = bodiesOf(proxied);
    expectAnswer(wrongKey, 'UNAUTHORIZED', { secrets: [KEY.secret, 'wrong-secret-0000'] });
    // The repeated image was replayed from what the proxy had recorded, not sent again.
    const sent = (await vendor.journal.list()).requests;
    expect(sent.map((entry) => entry.httpCode)).toEqual([200, 200, 400, 401]);
    await vendor.close();

    const text = await readFile(cassette, 'utf8');
    for (const secret of [KEY.secret, 'wrong-secret-0000']) {
      expect(text).not.toContain(secret);
      expect(proxy.stderr()).not.toContain(secret);
    }
    const read = parseCassette(text);
    if (!read.ok) throw new Error(read.reason);
    expect(read.cassette.recordings.map((r) => [r.field, r.answer.httpCode, r.target])).toEqual([
      ['file', 200, vendor.url],
      ['image_base64', 200, vendor.url],
      ['file', 400, vendor.url],
    ]);

    // The vendor is gone: the suite replays from the cassette, with the CI mock's own key.
    await writeFile(
      join(dir, 'ci.yaml'),
      `keys: [{ id: ${KEY.id}, secret: ${KEY.secret} }]\ncassettes: [recorded.yaml]\n`,
    );
    const replay = await startMockProcess({ config: join(dir, 'ci.yaml') });
    try {
      const replayed = await suite(replay.url);
      expect(replayed.map(withoutId)).toEqual(proxied.map(withoutId));
      for (const [index, body] of bodiesOf(replayed).entries()) {
        expect(body.request_id).toMatch(/^TID[0-9a-f]{32}$/);
        expect(body.request_id).not.toBe(proxiedBodies[index]?.request_id);
      }
    } finally {
      await replay.stop();
    }
  });

  it('answers the documented 500 INTERNAL_ERROR naming the proxy target when the vendor cannot be reached', async () => {
    const target = `http://127.0.0.1:${await unusedPort()}`;
    const proxy = await startMock({ proxy: { target, record: join(dir, 'unreached.yaml'), timeoutMs: 5000 } });
    try {
      const answer = expectAnswer(
        await callPredict(proxy.url, { file: face, credentials: CREDENTIALS }),
        'INTERNAL_ERROR',
        { httpCode: 500, secrets: [KEY.secret] },
      );
      expect(answer.reason).toContain(`cannot reach ${target}/face/predict_gender`);
      const journal = await proxy.journal.list();
      expect(journal.requests[0]?.cassette).toBe(`proxy ${target}`);
      expect(journal.requests[0]?.decidedBy).toBe('proxy');
    } finally {
      await proxy.close();
    }
  });

  it('refuses --proxy without --record and a missing cassette with exit 2, naming what to fix', async () => {
    const alone = await runCli(['mock', '--port', '0', '--proxy', 'http://127.0.0.1:9']);
    expect(alone.stderr).toContain('--proxy needs --record FILE');
    expect(alone.code).toBe(2);
    const missing = await runCli(['mock', '--port', '0', '--cassette', join(dir, 'nope.yaml')]);
    expect(missing.stderr).toMatch(/invalid mock config: cassette .*nope\.yaml does not exist/);
    expect(missing.code).toBe(2);
  });
});
