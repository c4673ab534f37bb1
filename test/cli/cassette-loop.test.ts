import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCommand } from '../../cli/record-command.js';
import { createMswHandlers, VENDOR_BASE_URL } from '../../mock/msw/index.js';
import { type RunningMock, startMock } from '../../mock/start-mock.js';
import { parseCassette, serializeCassette } from '../../src/cassette/cassette.js';
import { makeJpeg, makePng } from '../../src/image/sample-images.js';
import { PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { ANY_STATUS, expectAnswer } from '../support/documented-answer.js';
import { runDriftCommand as drift, runCommandInProcess } from '../support/drift-command-run.js';
import { callPredict } from '../support/predict-request.js';

/**
 * The cassette loop (record, replay in CI, re-check nightly) on loopback: record from a stand-in of the vendor (the mock with a key), replay in
 * the mock, then a stand-in whose "model changed" (four images answered differently) and `drift --cassette`, which
 * must report exactly the three changes past the tolerances.
 */
const KEY = { id: 'loop-id', secret: 'loop-secret-5d1c0e9a' };
const CREDENTIALS = { 'x-df-api-id': KEY.id, 'x-df-api-secret': KEY.secret };
const ENV = { ACCUAUTH_API_ID: KEY.id, ACCUAUTH_API_SECRET: KEY.secret };
const IMAGES = {
  'gender.jpg': makeJpeg({ width: 320, height: 320, seed: 101 }),
  'confidence.jpg': makeJpeg({ width: 256, height: 300, seed: 102 }),
  'box.png': makePng({ width: 300, height: 256, seed: 103 }),
  'steady.jpg': makeJpeg({ width: 400, height: 300, seed: 104 }),
};

let dir: string;
let vendor: RunningMock;
const running: RunningMock[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-cassette-loop-'));
  await mkdir(join(dir, 'faces'));
  for (const [name, bytes] of Object.entries(IMAGES)) await writeFile(join(dir, 'faces', name), bytes);
  vendor = await startMock({ config: { keys: [{ id: KEY.id, secret: KEY.secret }] } });
});
afterAll(async () => {
  await Promise.all([vendor, ...running].map((mock) => mock.close()));
  await rm(dir, { recursive: true, force: true });
});

async function mockWith(options: Parameters<typeof startMock>[0]): Promise<RunningMock> {
  const mock = await startMock(options);
  running.push(mock);
  return mock;
}

/** `accuauth-kit record ...` in-process, as main.ts wires it. */
function record(args: string[], env: NodeJS.ProcessEnv) {
  return runCommandInProcess('record', recordCommand, args, env);
}

const cassettePath = () => join(dir, 'cassettes', 'vendor.yaml');

describe('record once, replay in the mock', () => {
  it('records each image once from the stand-in, says how many calls it spent, writes no secret', async () => {
    const result = await record(['--images', join(dir, 'faces'), '--out', cassettePath()], {
      ...ENV,
      ACCUAUTH_BASE_URL: vendor.url,
    });
    expect(result.stderr).toContain('recorded 4 images into');
    expect(result.stderr).toContain(`spent 4 of at most 50 calls on ${vendor.url}`);
    expect(result.exitCode).toBe(0);
    const text = await readFile(cassettePath(), 'utf8');
    expect(text).not.toContain(KEY.secret);
    expect(text).not.toContain(KEY.id);
    const read = parseCassette(text);
    expect(read.ok && read.cassette.recordings.map((r) => r.image.path)).toEqual([
      '../faces/box.png',
      '../faces/confidence.jpg',
      '../faces/gender.jpg',
      '../faces/steady.jpg',
    ]);
  });

  it('refuses to overwrite the cassette without --force, before spending a call', async () => {
    const result = await record(['--images', join(dir, 'faces'), '--out', cassettePath()], {
      ...ENV,
      ACCUAUTH_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(result.stderr).toContain('exists; pass --force to overwrite it');
    expect(result.exitCode).toBe(2);
  });

  it('writes a partial cassette and exits 1 naming what failed, and stops at --max-calls', async () => {
    const partial = join(dir, 'partial.yaml');
    // Without --out, a usage error before any call (main.ts turns it into exit 2).
    await expect(record(['--images', join(dir, 'faces')], { ...ENV, ACCUAUTH_BASE_URL: vendor.url })).rejects.toThrow(
      /required option '--out <file>'/,
    );
    const run = await record(
      [
        '--images',
        join(dir, 'faces', 'steady.jpg'),
        join(dir, 'faces', 'gone.jpg'),
        join(dir, 'faces', 'box.png'),
        '--out',
        partial,
        '--max-calls',
        '1',
      ],
      { ...ENV, ACCUAUTH_BASE_URL: vendor.url },
    );
    expect(run.stderr).toContain(`not recorded: ${join(dir, 'faces', 'gone.jpg')}: cannot read it (ENOENT)`);
    expect(run.stderr).toContain(`not sent (--max-calls 1 reached): ${join(dir, 'faces', 'box.png')}`);
    expect(run.stderr).toContain('recorded 1 image into');
    expect(run.stderr).toContain('spent 1 of at most 1 calls');
    expect(run.exitCode).toBe(1);
    const read = parseCassette(await readFile(partial, 'utf8'));
    expect(read.ok && read.cassette.recordings.map((r) => r.image.path)).toEqual(['faces/steady.jpg']);
    expect(run.stderr).not.toContain(KEY.secret);
  });

  it('replays the recorded codes and bodies with fresh request ids (server, config file and MSW alike)', async () => {
    const direct = await mockWith({ cassettes: [cassettePath()], config: { keys: [{ ...KEY }] } });
    // A config in another directory names the cassette relative to itself.
    await mkdir(join(dir, 'ci'), { recursive: true });
    await writeFile(join(dir, 'ci', 'mock.yaml'), 'cassettes: [../cassettes/vendor.yaml]\n');
    const fromConfig = await mockWith({ config: join(dir, 'ci', 'mock.yaml') });
    const msw = createMswHandlers({ cassettes: [cassettePath()] });
    for (const bytes of Object.values(IMAGES)) {
      const live = await callPredict(vendor.url, { file: bytes, credentials: CREDENTIALS });
      for (const url of [direct.url, fromConfig.url]) {
        const replayed = await callPredict(url, { file: bytes, credentials: CREDENTIALS });
        expect(replayed.httpCode).toBe(live.httpCode);
        const { request_id: liveId, ...liveBody } = expectAnswer(live, ANY_STATUS);
        const { request_id: replayedId, ...replayedBody } = expectAnswer(replayed, ANY_STATUS);
        expect(replayedBody).toEqual(liveBody);
        expect(replayedId).toMatch(/^TID[0-9a-f]{32}$/);
        expect(replayedId).not.toBe(liveId);
      }
    }
    const journal = await direct.journal.list();
    expect(journal.requests.map((entry) => entry.cassette)).toEqual(Array(4).fill(cassettePath()));
    // The MSW adapter's core replays too (the same stage; its HTTP side is msw-handlers.test.ts's).
    const live = await callPredict(vendor.url, { file: IMAGES['gender.jpg'], credentials: CREDENTIALS });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(IMAGES['gender.jpg'])], { type: 'image/jpeg' }), 'gender.jpg');
    const request = new Request(`${VENDOR_BASE_URL}${PREDICT_GENDER_PATH}`, {
      method: 'POST',
      headers: CREDENTIALS,
      body: form,
    });
    const response = await getResponse(msw.handlers, request);
    const replayed = (await response?.json()) as { request_id: string };
    const { request_id: liveId, ...liveBody } = expectAnswer(live, ANY_STATUS);
    expect(replayed).toEqual({ request_id: replayed.request_id, ...liveBody });
    expect(response?.status).toBe(live.httpCode);
    expect(replayed.request_id).not.toBe(liveId);
  });

  it('replays a recorded body verbatim even where it breaks the spec, and only for those bytes', async () => {
    const broken = join(dir, 'broken.yaml');
    const read = parseCassette(await readFile(cassettePath(), 'utf8'));
    if (!read.ok) throw new Error(read.reason);
    const [first] = read.cassette.recordings;
    if (!first) throw new Error('empty cassette');
    first.answer = { httpCode: 200, body: { status: 'OK', result: { gender: 'Other', surprise: true } } };
    await writeFile(broken, serializeCassette({ version: 1, recordings: [first] }));
    const mock = await mockWith({ cassettes: [broken] });
    const replayed = await callPredict(mock.url, { file: IMAGES['box.png'] });
    // Not a documented answer (that is the point), so read as it came.
    expect(JSON.parse(replayed.text)).toMatchObject({ status: 'OK', result: { gender: 'Other', surprise: true } });
    // Prefer and scenarios still come first.
    const preferred = await callPredict(mock.url, {
      file: IMAGES['box.png'],
      headers: { prefer: 'example=OUT_OF_QUOTA' },
    });
    expectAnswer(preferred, 'OUT_OF_QUOTA');
    const other = expectAnswer(await callPredict(mock.url, { file: IMAGES['steady.jpg'] }), 'OK');
    expect(other.result.gender).toMatch(/^(Male|Female)$/);
  });

  it('refuses to start on a missing or broken cassette, naming it', async () => {
    await expect(startMock({ cassettes: [join(dir, 'nope.yaml')] })).rejects.toThrow(
      /cassette .*nope\.yaml does not exist/,
    );
    await writeFile(join(dir, 'bad.yaml'), 'version: 1\nrecordings: [{ image: 3 }]\n');
    await expect(startMock({ cassettes: [join(dir, 'bad.yaml')] })).rejects.toThrow(/bad\.yaml: recordings\[0\]/);
    expect(() => createMswHandlers({ cassettes: [join(dir, 'nope.yaml')] })).toThrow(/does not exist/);
  });
});

describe('behavioural drift against a stand-in whose model changed', () => {
  /** The stand-in: the mock replaying the recording with four answers altered, as a model update would. */
  async function changedVendor(): Promise<RunningMock> {
    const read = parseCassette(await readFile(cassettePath(), 'utf8'));
    if (!read.ok) throw new Error(read.reason);
    for (const recording of read.cassette.recordings) {
      const result = (recording.answer.body as { result: Record<string, unknown> }).result;
      const confidence = result.confidence as number;
      const [l, t, r, b] = result.face_box as number[];
      switch (recording.image.path) {
        case '../faces/gender.jpg':
          result.gender = result.gender === 'Male' ? 'Female' : 'Male';
          break;
        case '../faces/confidence.jpg':
          result.confidence = Number((confidence > 0.5 ? confidence - 0.2 : confidence + 0.2).toFixed(6));
          break;
        case '../faces/box.png':
          result.face_box = [(l ?? 0) + 60, (t ?? 0) + 60, (r ?? 0) + 60, (b ?? 0) + 60];
          break;
        default:
          result.confidence = Number((confidence > 0.5 ? confidence - 0.01 : confidence + 0.01).toFixed(6));
      }
    }
    const changed = join(dir, 'changed-model.yaml');
    await writeFile(changed, serializeCassette(read.cassette));
    return mockWith({ cassettes: [changed], config: { keys: [{ ...KEY }] } });
  }

  it('reports exactly the flipped gender, the 0.2 confidence shift and the moved face box', async () => {
    const changed = await changedVendor();
    const out = join(dir, 'report');
    const result = await drift(['--out', out, '--timeout-ms', '5000', '--cassette', cassettePath()], {
      ...ENV,
      ACCUAUTH_BASE_URL: changed.url,
    });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'drift-report.json'), 'utf8'));
    const behaviour = report.probes
      .flatMap((probe: { classedFindings: { class: string; finding: string }[] }) => probe.classedFindings)
      .filter((finding: { class: string }) => finding.class !== 'contract');
    expect(behaviour.map((f: { class: string }) => f.class)).toEqual(['behaviour', 'behaviour', 'behaviour']);
    const findings = behaviour.map((f: { finding: string }) => f.finding);
    // Each finding sits under the probe that names its image, and does not repeat the path.
    const drifted = report.probes.filter((p: { findings: string[] }) => p.findings.length > 0);
    expect(drifted.map((p: { probe: string }) => p.probe)).toEqual([
      'cassette: ../faces/box.png',
      'cassette: ../faces/confidence.jpg',
      'cassette: ../faces/gender.jpg',
    ]);
    for (const finding of findings) expect(finding).not.toContain('../faces/');
    expect(findings[0]).toMatch(/^face_box overlaps the recorded one by IoU [\d.]+ \(\[/);
    expect(findings[1]).toMatch(/^confidence moved by 0\.2 \([\d.]+ -> [\d.]+\)/);
    expect(findings[2]).toMatch(/^gender was "(Male|Female)", now "(Male|Female)"$/);
    // No contract drift: the probes' answers are the mock's own.
    expect(report.probes.flatMap((p: { findings: string[] }) => p.findings)).toEqual(findings);
    expect(report.behaviour).toMatchObject({ images: 4, callsSpent: 4, maxCalls: 50, notSent: [] });
    expect(report.behaviour.tolerance).toEqual({ confidence: 0.05, minIou: 0.9 });
    expect(result.stdout).toContain('Behaviour: 4 cassette images, 4 calls spent of at most 50');
    expect(result.stdout).toContain('gender.jpg');
    for (const file of ['drift-report.json', 'drift-summary.md', 'drift-junit.xml', 'drift-report.html']) {
      expect(await readFile(join(out, file), 'utf8')).not.toContain(KEY.secret);
    }
    expect(result.stdout + result.stderr).not.toContain(KEY.secret);
  });

  it('exits 0 against an unchanged stand-in, and a wider tolerance lets the 0.2 shift pass', async () => {
    const same = await drift(['--out', join(dir, 'r0'), '--cassette', cassettePath()], {
      ...ENV,
      ACCUAUTH_BASE_URL: vendor.url,
    });
    expect(same.stderr).toMatch(/no drift: .*behaviour: 4 cassette images, 4 calls spent of at most 50/);
    expect(same.exitCode).toBe(0);
    const changed = await changedVendor();
    const wide = await drift(
      ['--out', join(dir, 'r1'), '--cassette', cassettePath(), '--tolerance', '0.25', '--min-iou', '0.1'],
      { ...ENV, ACCUAUTH_BASE_URL: changed.url },
    );
    const report = JSON.parse(await readFile(join(dir, 'r1', 'drift-report.json'), 'utf8'));
    expect(report.probes.flatMap((p: { findings: string[] }) => p.findings)).toEqual([
      expect.stringMatching(/^gender was/),
    ]);
    expect(wide.exitCode).toBe(1);
  });

  it('reports a missing image and one whose bytes changed rather than skipping them, and bounds the calls', async () => {
    const copy = join(dir, 'copy');
    await mkdir(join(copy, 'cassettes'), { recursive: true });
    await mkdir(join(copy, 'faces'));
    for (const [name, bytes] of Object.entries(IMAGES)) await writeFile(join(copy, 'faces', name), bytes);
    await writeFile(join(copy, 'cassettes', 'vendor.yaml'), await readFile(cassettePath()));
    await unlink(join(copy, 'faces', 'gender.jpg'));
    await writeFile(join(copy, 'faces', 'box.png'), makePng({ width: 300, height: 256, seed: 999 }));
    const out = join(dir, 'r2');
    const result = await drift(
      ['--out', out, '--cassette', join(copy, 'cassettes', 'vendor.yaml'), '--max-calls', '1'],
      { ...ENV, ACCUAUTH_BASE_URL: vendor.url },
    );
    const report = JSON.parse(await readFile(join(out, 'drift-report.json'), 'utf8'));
    const findings: string[] = report.probes.flatMap((p: { findings: string[] }) => p.findings);
    expect(
      report.probes.filter((p: { findings: string[] }) => p.findings.length > 0).map((p: { probe: string }) => p.probe),
    ).toEqual(['cassette: ../faces/box.png', 'cassette: ../faces/gender.jpg']);
    expect(findings).toEqual([
      expect.stringMatching(/^the image's bytes changed since the recording/),
      expect.stringMatching(/^the image cannot be read from .*faces\/gender\.jpg \(ENOENT\)/),
    ]);
    expect(report.behaviour).toMatchObject({ callsSpent: 1, maxCalls: 1, notSent: ['../faces/steady.jpg'] });
    expect(result.stdout).toContain('Not re-sent (call cap reached): ../faces/steady.jpg');
    expect(result.exitCode).toBe(1);
  });
});
