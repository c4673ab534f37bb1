import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importHarCommand } from '../../cli/import-har-command.js';
import { startMock } from '../../mock/index.js';
import { readCassetteFile } from '../../src/cassette/cassette-file.js';
import { imageSha256 } from '../../src/image/predicted-face.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { runCommandInProcess } from '../support/drift-command-run.js';
import { admin } from '../support/mock-server.js';
import { base64UploadBody, fileUploadBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accuauth-import-har-'));
  dirs.push(dir);
  return dir;
}

const VENDOR = 'https://cloudapi.accuauth.in';
/** The secret the recorded session sent: it must reach neither the cassette nor the images' names. */
const SESSION_SECRET = 'har-session-secret-6c1d9f2e';
const REQUEST_HEADERS = [
  { name: 'Host', value: 'cloudapi.accuauth.in' },
  { name: 'X-DF-API-ID', value: 'har-session-id' },
  { name: 'X-DF-API-SECRET', value: SESSION_SECRET },
];

// The vendor's answers in the sessions: not what the mock would derive, so a replay can only come from the cassette.
const female = {
  status: 'OK',
  request_id: 'TIDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  result: {
    gender: 'Female',
    confidence: 0.912345,
    face_box: [10, 12, 150, 170],
    beard: false,
    beard_confidence: 0.0123,
  },
};
const male = { ...female, result: { ...female.result, gender: 'Male', confidence: 0.876543 } };
/** A documented refusal that echoes the caller's secret, as careless servers do. */
const detectionFailed = {
  status: 'DETECTION_FAILED',
  reason: `no face found (key ${SESSION_SECRET})`,
  request_id: 'TIDbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
};
const undocumented = {
  status: 'FACE_TOO_SMALL',
  reason: 'face too small',
  request_id: 'TIDcccccccccccccccccccccccccccccccc',
};

const jpeg = makeJpeg({ width: 180, height: 200, seed: 221 });
const png = makePng({ width: 160, height: 160, seed: 222 });
const other = makeJpeg({ width: 200, height: 180, seed: 223 });
const mangled = makeJpeg({ width: 140, height: 140, seed: 224 });
const strange = makeJpeg({ width: 150, height: 150, seed: 225 });

interface Call {
  url?: string;
  mimeType: string;
  text?: string;
  encoding?: 'base64';
  params?: { name: string; value?: string; fileName?: string }[];
  httpCode: number;
  answer: unknown;
  answerEncoding?: 'base64';
}

function entry(call: Call) {
  const answerText = JSON.stringify(call.answer);
  return {
    startedDateTime: '2026-11-30T09:15:00.000Z',
    time: 412,
    request: {
      method: 'POST',
      url: call.url ?? `${VENDOR}${PREDICT_GENDER_PATH}`,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [...REQUEST_HEADERS, { name: 'Content-Type', value: call.mimeType }],
      queryString: [],
      postData: {
        mimeType: call.mimeType,
        ...(call.text === undefined ? {} : { text: call.text }),
        ...(call.encoding ? { encoding: call.encoding } : {}),
        ...(call.params ? { params: call.params } : {}),
      },
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: call.httpCode,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: {
        size: answerText.length,
        mimeType: 'application/json',
        text: call.answerEncoding === 'base64' ? Buffer.from(answerText).toString('base64') : answerText,
        ...(call.answerEncoding ? { encoding: call.answerEncoding } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 1, wait: 400, receive: 11 },
  };
}

function pageEntry(url: string, mimeType: string) {
  return {
    ...entry({ mimeType, httpCode: 200, answer: {} }),
    request: { ...entry({ mimeType, httpCode: 200, answer: {} }).request, method: 'GET', url, postData: undefined },
  };
}

/**
 * Like Chrome devtools' "Save all as HAR with content": the page's own requests around the API calls; a multipart
 * upload kept as text one byte per character; the same upload decoded as UTF-8 (its binary replaced by U+FFFD:
 * lost); an urlencoded image_base64 with its text and params; an answer the spec does not document.
 */
function chromeHar(): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [],
      entries: [
        pageEntry('https://app.example/', 'text/html'),
        pageEntry('https://app.example/main.js', 'text/javascript'),
        entry({
          mimeType: multipartContentType(),
          text: fileUploadBody(jpeg).toString('latin1'),
          httpCode: 200,
          answer: female,
        }),
        entry({
          mimeType: multipartContentType(),
          text: fileUploadBody(mangled).toString('utf8'),
          httpCode: 200,
          answer: male,
        }),
        entry({
          mimeType: 'application/x-www-form-urlencoded',
          text: new URLSearchParams({ image_base64: png.toString('base64') }).toString(),
          params: [{ name: 'image_base64', value: encodeURIComponent(png.toString('base64')) }],
          httpCode: 400,
          answer: detectionFailed,
        }),
        entry({
          mimeType: multipartContentType(),
          text: fileUploadBody(strange).toString('latin1'),
          httpCode: 400,
          answer: undocumented,
        }),
        // A refusal of the key says nothing about the image: never a recording.
        entry({
          mimeType: multipartContentType(),
          text: fileUploadBody(other).toString('latin1'),
          httpCode: 401,
          answer: { status: 'UNAUTHORIZED', reason: 'bad key', request_id: 'TIDdddddddddddddddddddddddddddddddd' },
        }),
      ],
    },
  };
}

/** Like Playwright's recordHar: bodies base64-encoded (`encoding: "base64"`), a JSON image_base64 body. */
function playwrightHar(): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'Playwright', version: '1.65.1' },
      browser: { name: 'chromium', version: '140.0' },
      entries: [
        entry({
          mimeType: multipartContentType(),
          text: base64UploadBody(other).toString('base64'),
          encoding: 'base64',
          httpCode: 200,
          answer: male,
          answerEncoding: 'base64',
        }),
        entry({
          mimeType: 'application/json',
          text: JSON.stringify({ image_base64: jpeg.toString('base64') }),
          httpCode: 200,
          answer: female,
        }),
        entry({
          url: 'https://api.example/other',
          mimeType: 'application/json',
          text: '{}',
          httpCode: 200,
          answer: {},
        }),
      ],
    },
  };
}

async function importFile(har: unknown, extra: string[] = []) {
  const dir = tempDir();
  const file = join(dir, 'session.har');
  writeFileSync(file, JSON.stringify(har));
  const out = join(dir, 'cassettes', 'from-har.yaml');
  const run = await runCommandInProcess('import-har', importHarCommand, [file, '--out', out, ...extra]);
  return { ...run, out, dir };
}

/** Uploads `image` to a mock replaying `cassette`, and what its journal says decided the answer. */
async function replay(cassette: string, image: Buffer, field: 'file' | 'image_base64') {
  const mock = await startMock({ port: 0, cassettes: [cassette] });
  try {
    const answer = await callPredict(
      mock.url,
      field === 'file' ? { file: image } : { imageBase64: image.toString('base64') },
    );
    const journal = (await admin(mock.url, 'GET', '/requests')).body as { requests: { decidedBy: string }[] };
    return { httpCode: answer.httpCode, body: JSON.parse(answer.text), decidedBy: journal.requests[0]?.decidedBy };
  } finally {
    await mock.close();
  }
}

describe('accuauth-kit import-har', () => {
  it('imports a devtools HAR: each recoverable call named by its image, the rest named with why', async () => {
    const { stderr, exitCode, out, dir } = await importFile(chromeHar());
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /not imported: entries\[3\] POST https:\/\/cloudapi\.accuauth\.in\/face\/predict_gender: the HAR kept its multipart `file` part as text with the binary bytes replaced \(U\+FFFD\)/,
    );
    expect(stderr).toMatch(
      /not imported: entries\[5\] .*HTTP 400 FACE_TOO_SMALL is not an answer the spec documents .*--keep-undocumented keeps it/,
    );
    expect(stderr).toMatch(/not imported: entries\[6\] .*HTTP 401 UNAUTHORIZED: a refusal of the key/);
    expect(stderr).toMatch(
      /imported 2 calls into .*from-har\.yaml \(images beside it\); 2 other entries skipped; 3 predict_gender calls not imported/,
    );

    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(SESSION_SECRET);
    expect(text).not.toMatch(/X-DF-API|har-session-id/i);
    const read = await readCassetteFile(out);
    if (!read.ok) throw new Error(read.reason);
    const recordings = read.cassette.recordings;
    expect(recordings.map((r) => [r.field, r.image.sha256, r.image.path, r.answer.httpCode])).toEqual([
      ['file', imageSha256(jpeg), `${imageSha256(jpeg)}.jpg`, 200],
      ['image_base64', imageSha256(png), `${imageSha256(png)}.png`, 400],
    ]);
    expect(recordings[0]?.target).toBe(VENDOR);
    expect(recordings[0]?.recordedAt).toBe('2026-11-30T09:15:00.000Z');
    expect(recordings[1]?.answer.body).toEqual({
      status: 'DETECTION_FAILED',
      reason: 'no face found (key [REDACTED])',
    });
    // The images beside the cassette, byte for byte.
    expect(readFileSync(join(dir, 'cassettes', `${imageSha256(jpeg)}.jpg`)).equals(jpeg)).toBe(true);
    expect(readFileSync(join(dir, 'cassettes', `${imageSha256(png)}.png`)).equals(png)).toBe(true);

    // Replayed by a started mock: the vendor's answers, not derived ones.
    const first = await replay(out, jpeg, 'file');
    expect(first).toMatchObject({
      httpCode: 200,
      decidedBy: 'cassette',
      body: { status: 'OK', result: female.result },
    });
    expect(first.body.request_id).toMatch(/^TID[0-9a-f]{32}$/);
    const second = await replay(out, png, 'image_base64');
    expect(second).toMatchObject({ httpCode: 400, decidedBy: 'cassette', body: { status: 'DETECTION_FAILED' } });
  });

  it("imports a Playwright HAR with base64-encoded bodies and a JSON image_base64; other hosts' calls are skipped", async () => {
    const { stderr, exitCode, out } = await importFile(playwrightHar());
    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/imported 2 calls .*; 1 other entry skipped\n$/);
    const read = await readCassetteFile(out);
    if (!read.ok) throw new Error(read.reason);
    expect(read.cassette.recordings.map((r) => [r.field, r.image.sha256])).toEqual([
      ['image_base64', imageSha256(other)],
      ['image_base64', imageSha256(jpeg)],
    ]);
    expect(await replay(out, other, 'file')).toMatchObject({
      httpCode: 200,
      decidedBy: 'cassette',
      body: { result: male.result },
    });
  });

  it('--keep-undocumented keeps an undocumented answer, named', async () => {
    const { stderr, out } = await importFile(chromeHar(), ['--keep-undocumented']);
    expect(stderr).toMatch(/kept although undocumented \(--keep-undocumented\): entries\[5\] .*FACE_TOO_SMALL/);
    const read = await readCassetteFile(out);
    if (!read.ok) throw new Error(read.reason);
    expect(read.cassette.recordings.map((r) => r.answer.body.status)).toContain('FACE_TOO_SMALL');
  });

  it('a HAR with no predict_gender call, or not a HAR, is exit 2 and writes nothing', async () => {
    const none = await importFile({
      log: {
        version: '1.2',
        creator: { name: 'x', version: '1' },
        entries: [pageEntry('https://app.example/', 'text/html')],
      },
    });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/holds no POST to \/face\/predict_gender \(1 other entry skipped\); nothing written/);
    expect(existsSync(none.out)).toBe(false);
    const notHar = await importFile({ hello: 'world' });
    expect(notHar.exitCode).toBe(2);
    expect(notHar.stderr).toMatch(/not a HAR file: it has no log\.entries list/);
  });
});
