import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImageCorpus } from '../../cli/images-command.js';
import { resolveDecisions } from '../../mock/core/decision-profile.js';
import { type RunningMock, startMock } from '../../mock/index.js';
import type { DecisionProfile } from '../../src/generated/decisions.js';
import { type CorpusEntry, type CorpusManifest, imageCorpus } from '../../src/image/image-corpus.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { expectAnswer } from '../support/documented-answer.js';
import { runCli } from '../support/mock-process.js';
import { multipartBody, multipartContentType } from '../support/multipart-body.js';
import { callPredict } from '../support/predict-request.js';

/** Every decision that judges an image or its base64 set to an alternative other than the spec's choice. */
const OTHER_DECISIONS: Partial<DecisionProfile> = {
  'image-format': 'by-declared-type',
  'side-limits': 'exclusive',
  'max-image-bytes': 'megabytes',
  'base64-whitespace': 'reject',
  'base64-padding': 'required',
  'base64-alphabet': 'standard-or-url-safe',
  'corrupt-image': 'detection-failed',
};

let dir: string;
let defaults: CorpusManifest;
let others: CorpusManifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accuauth-corpus-'));
  const written = await writeImageCorpus(join(dir, 'default'), resolveDecisions(undefined));
  if (!written.ok) throw new Error(`the corpus could not be written: ${written.reason}`);
  defaults = written.manifest;
  // The same files (the next test checks they are), judged under other decisions: only the manifest differs.
  others = imageCorpus(resolveDecisions(OTHER_DECISIONS)).manifest;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Sends one corpus file as its entry says, over real HTTP, as a multipart part. */
async function send(url: string, root: string, entry: CorpusEntry) {
  const content = await readFile(join(root, entry.file));
  const part =
    entry.field === 'file'
      ? { name: 'file', value: content, filename: basename(entry.file), contentType: entry.contentType ?? '' }
      : { name: 'image_base64', value: content.toString('latin1') };
  return callPredict(url, {
    body: multipartBody([part]),
    headers: { 'Content-Type': multipartContentType() },
  });
}

/** Sends every entry, a few at a time, and returns the entries whose answer differs from the manifest's status. */
async function mismatches(url: string, root: string, manifest: CorpusManifest): Promise<string[]> {
  const wrong: string[] = [];
  const queue = [...manifest.entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const answer = await send(url, root, entry);
      try {
        expectAnswer(answer, entry.status);
      } catch (error) {
        wrong.push(`${entry.file}: expected ${entry.status} (${entry.decidedBy}), ${(error as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return wrong;
}

describe('the image corpus', () => {
  it("holds the spec's limits: sides one under, at and over each, bytes one under and over each decided limit", () => {
    const { minSide, maxSide } = imageConstraints();
    const sides = new Set(defaults.entries.map((entry) => entry.image.width));
    for (const side of [minSide - 1, minSide, maxSide, maxSide + 1]) expect(sides).toContain(side);
    const bytes = defaults.entries.filter((entry) => entry.file.includes('/bytes-')).map((entry) => entry.image.bytes);
    expect(new Set(bytes)).toEqual(new Set([4_999_999, 5_000_001, 5_242_879, 5_242_881]));
  });

  it('writes every file with the size the manifest gives, and the same bytes whatever the decisions', async () => {
    const again = imageCorpus(resolveDecisions(OTHER_DECISIONS)).files;
    expect(again.map((file) => file.entry.file)).toEqual(defaults.entries.map((entry) => entry.file));
    for (const [index, entry] of defaults.entries.entries()) {
      const content = await readFile(join(dir, 'default', entry.file));
      if (entry.field === 'file') expect(content.length, entry.file).toBe(entry.image.bytes);
      expect(content.equals(Buffer.from(again[index]?.content ?? '')), entry.file).toBe(true);
    }
  });

  it('is made of images a decoder reads (jpeg-js, pngjs), the pitfalls included', async () => {
    const read = (file: string) => readFile(join(dir, 'default', 'file', file));
    for (const file of ['jpeg/progressive.jpg', 'jpeg/cmyk.jpg', 'jpeg/exif-rotated.jpg', 'jpeg/side-128.jpg']) {
      const decoded = jpeg.decode(await read(file), { formatAsRGBA: true });
      const entry = defaults.entries.find((e) => e.file === `file/${file}`);
      expect([decoded.width, decoded.height], file).toEqual([entry?.image.width, entry?.image.height]);
    }
    for (const file of ['png/alpha.png', 'png/16-bit.png', 'png/palette.png', 'png/bytes-5242879.png']) {
      const decoded = PNG.sync.read(await read(file));
      expect(decoded.width, file).toBeGreaterThanOrEqual(imageConstraints().minSide);
    }
    expect(() => jpeg.decode(Buffer.from('x'))).toThrow();
  });

  it('tells the decisions apart: under other decisions, many files get another answer', () => {
    const changed = defaults.entries.filter((entry, index) => others.entries[index]?.status !== entry.status);
    const turning = new Set(changed.flatMap((entry) => entry.turnsOn));
    for (const name of Object.keys(OTHER_DECISIONS)) expect(turning, name).toContain(name);
    expect(others.entries.some((entry) => entry.status === 'DETECTION_FAILED')).toBe(true);
  });

  for (const [name, profile] of [
    ["the spec's decisions", undefined],
    ['other decisions', OTHER_DECISIONS],
  ] as const) {
    it(`gets from a started mock, for every file, the status its manifest gives (${name})`, async () => {
      const manifest = profile === undefined ? defaults : others;
      const root = join(dir, 'default');
      let mock: RunningMock | undefined;
      try {
        mock = await startMock({ port: 0, ...(profile ? { config: { decisions: profile } } : {}) });
        expect(await mismatches(mock.url, root, manifest)).toEqual([]);
      } finally {
        await mock?.close();
      }
    }, 60_000);
  }
});

describe('accuauth-kit images', () => {
  it('writes the corpus and a manifest under the decisions of --config (built CLI)', async () => {
    const config = join(dir, 'exclusive.yaml');
    await writeFile(config, 'decisions:\n  side-limits: exclusive\n');
    const out = join(dir, 'cli');
    const run = await runCli(['images', '--out', out, '--config', config]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote \d+ files into .*\(\d+ answered OK, \d+ refused under the decisions of /);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as CorpusManifest;
    const { minSide } = imageConstraints();
    const atMin = manifest.entries.find((entry) => entry.file === `file/png/side-${minSide}.png`);
    expect(atMin).toMatchObject({ status: 'INVALID_ARGUMENT', decidedBy: 'side-limits', turnsOn: ['side-limits'] });
    expect(manifest.limits.minSide).toBe(minSide + 1);
    const sameImage = defaults.entries.find((entry) => entry.file === atMin?.file);
    expect(sameImage).toMatchObject({ status: 'OK', decidedBy: 'side-limits' });
  }, 60_000);

  it('exits 2 naming the problem for a config that does not validate, or an --out it cannot write', async () => {
    const config = join(dir, 'bad.yaml');
    await writeFile(config, 'decisions:\n  side-limits: roughly\n');
    const bad = await runCli(['images', '--out', join(dir, 'never'), '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^accuauth-kit images: .*bad\.yaml: decisions\.side-limits must be one of inclusive, exclusive \(--config\)/,
    );
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a directory');
    const unwritable = await runCli(['images', '--out', join(blocked, 'corpus')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/is a file, not a directory/);
  });
});
