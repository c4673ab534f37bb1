import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Cassette,
  checkCassette,
  parseCassette,
  type Recording,
  serializeCassette,
} from '../../src/cassette/cassette.js';
import {
  CassetteAppender,
  imagePathOf,
  pathFromCassette,
  readCassetteFile,
  writeCassetteFile,
} from '../../src/cassette/cassette-file.js';
import { CassetteLibrary } from '../../src/cassette/cassette-library.js';

function recording(sha: string, gender: 'Male' | 'Female' = 'Male'): Recording {
  return {
    image: {
      sha256: sha.repeat(64).slice(0, 64),
      path: `images/${sha}.jpg`,
      bytes: 1234,
      format: 'jpeg',
      width: 256,
      height: 256,
    },
    field: 'file',
    answer: {
      httpCode: 200,
      body: {
        status: 'OK',
        result: { gender, confidence: 0.9, face_box: [1, 2, 3, 4], beard: false, beard_confidence: 0.1 },
      },
    },
    recordedAt: '2026-11-25T10:00:00.000Z',
    target: 'http://127.0.0.1:9999',
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-cassette-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cassette format', () => {
  it('round-trips through YAML with a header that says what the file is', () => {
    const cassette: Cassette = { version: 1, recordings: [recording('a'), recording('b', 'Female')] };
    const text = serializeCassette(cassette);
    expect(text).toMatch(/^# accuauth-kit cassette/);
    expect(parseCassette(text)).toEqual({ ok: true, cassette });
  });

  it('names the bad field, and a newer format by its version', () => {
    const bad = { version: 1, recordings: [{ ...recording('a'), image: { sha256: 'XYZ', bytes: 1 } }] };
    expect(checkCassette(bad)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^recordings\[0\]\.image\.sha256 must match/),
    });
    expect(checkCassette({ version: 2, recordings: [] })).toEqual({
      ok: false,
      reason: 'version is 2; this accuauth-kit reads version 1',
    });
    expect(parseCassette('recordings: [\n')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^not valid YAML: \S/),
    });
  });
});

describe('cassette files', () => {
  it('refuses to overwrite a cassette unless told to, and then replaces it whole', async () => {
    const path = join(dir, 'cassette.yaml');
    const first: Cassette = { version: 1, recordings: [recording('a')] };
    expect(await writeCassetteFile(path, first, { overwrite: false })).toEqual({ ok: true });
    const second: Cassette = { version: 1, recordings: [recording('b')] };
    expect(await writeCassetteFile(path, second, { overwrite: false })).toEqual({
      ok: false,
      reason: `${path} exists; pass --force to overwrite it`,
    });
    expect(await readCassetteFile(path)).toEqual({ ok: true, cassette: first });
    expect(await writeCassetteFile(path, second, { overwrite: true })).toEqual({ ok: true });
    expect(await readCassetteFile(path)).toEqual({ ok: true, cassette: second });
  });

  it('tells a missing cassette from a broken one, naming the file', async () => {
    const missing = join(dir, 'nope.yaml');
    expect(await readCassetteFile(missing)).toEqual({
      ok: false,
      missing: true,
      reason: `${missing}: cannot read the cassette (ENOENT)`,
    });
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'version: 1\nrecordings: 3\n');
    expect(await readCassetteFile(broken)).toEqual({
      ok: false,
      missing: false,
      reason: `${broken}: recordings must be array`,
    });
  });

  it('keeps image paths relative to the cassette', () => {
    const cassette = join(dir, 'cassettes', 'vendor.yaml');
    const image = join(dir, 'images', 'face.jpg');
    expect(pathFromCassette(cassette, image)).toBe('../images/face.jpg');
    expect(imagePathOf(cassette, '../images/face.jpg')).toBe(image);
  });

  it('appends concurrent recordings one at a time: every image once, the file whole', async () => {
    const path = join(dir, 'proxy.yaml');
    const appender = new CassetteAppender(path);
    const shas = ['a', 'b', 'c', 'd', 'e', 'f', 'a', 'b'];
    const results = await Promise.all(shas.map((sha) => appender.append(recording(sha))));
    expect(results.every((result) => result.ok)).toBe(true);
    const read = await readCassetteFile(path);
    expect(read.ok && read.cassette.recordings.map((r) => r.image.sha256[0])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(await readFile(path, 'utf8')).not.toMatch(/^\s*request_id:/m);
  });
});

describe('cassette library', () => {
  it('finds recordings by sha256 across cassettes', () => {
    const built = CassetteLibrary.build([
      { name: 'one.yaml', cassette: { version: 1, recordings: [recording('a')] } },
      { name: 'two.yaml', cassette: { version: 1, recordings: [recording('b'), recording('a')] } },
    ]);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.library.size).toBe(2);
    expect(built.library.find('b'.repeat(64))?.cassette).toBe('two.yaml');
    expect(built.library.find('a'.repeat(64))?.cassette).toBe('one.yaml');
    expect(built.library.find('c'.repeat(64))).toBeUndefined();
  });

  it('refuses the same image recorded with two different answers', () => {
    const built = CassetteLibrary.build([
      { name: 'one.yaml', cassette: { version: 1, recordings: [recording('a')] } },
      { name: 'two.yaml', cassette: { version: 1, recordings: [recording('a', 'Female')] } },
    ]);
    expect(built).toEqual({
      ok: false,
      reason: `image ${'a'.repeat(64)} is recorded twice with different answers (one.yaml and two.yaml); keep one of the two recordings`,
    });
  });
});
