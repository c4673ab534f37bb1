import { readFileSync } from 'node:fs';
import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';
import { DECISION_ALTERNATIVES } from '../../src/generated/decisions.js';
import { decisionCatalogue } from '../../src/spec/decision-catalogue.js';
import { imageConstraints } from '../../src/spec/image-constraints.js';
import { findSpecPath, PREDICT_GENDER_PATH } from '../../src/spec/spec-document.js';
import { specValidators } from '../../src/validation/spec-validators.js';
import { documentedCodeOf } from '../conformance/judge-answer.js';
import { LIVE_REQUEST_CAP, liveProbes, type MultipartPart, type Probe, probeCatalogue } from './probe-catalogue.js';

const catalogue = probeCatalogue();
const limits = imageConstraints();

function probe(name: string): Probe {
  const found = catalogue.find((p) => p.name === name);
  if (!found) throw new Error(`no probe ${name}`);
  return found;
}

function part(name: string, field: string): MultipartPart {
  const body = probe(name).request.body;
  const found = body.kind === 'multipart' ? body.parts.find((p) => p.name === field) : undefined;
  if (!found) throw new Error(`probe ${name} has no multipart field ${field}`);
  return found;
}

function fileOf(name: string): Uint8Array {
  const file = part(name, 'file');
  if (!('data' in file)) throw new Error(`probe ${name}'s file part has no data`);
  return file.data;
}

function base64Of(name: string): string {
  const field = part(name, 'image_base64');
  if (!('value' in field)) throw new Error(`probe ${name}'s image_base64 is not text`);
  return field.value;
}

describe('the probe catalogue', () => {
  it('names, in every **Decision** paragraph of the spec, decisions of x-decisions, and probes each one live', () => {
    const spec = readFileSync(findSpecPath(), 'utf8');
    const named = [...spec.matchAll(/\*\*Decision ((?:`[a-z0-9-]+`(?:, )?)+):\*\*/g)].flatMap((match) =>
      [...(match[1] ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((name) => name[1]),
    );
    expect(spec.split('**Decision `').length - 1, 'every **Decision paragraph names its decisions').toBe(
      spec.split(/\*\*Decision (?:`[a-z0-9-]+`(?:, )?)+:\*\*/).length - 1,
    );
    const names = [...decisionCatalogue().keys()];
    expect(new Set(named)).toEqual(new Set(names));
    for (const name of names) {
      expect(catalogue.filter((p) => p.decisions.includes(name)).length, `decision ${name} is probed`).toBeGreaterThan(
        0,
      );
      expect(
        liveProbes().filter((p) => p.decisions.includes(name)).length,
        `decision ${name} is probed live`,
      ).toBeGreaterThan(0);
    }
  });

  it('tells every decision apart live: a live probe per decision lists the answers of each of its alternatives', () => {
    for (const [name, alternatives] of Object.entries(DECISION_ALTERNATIVES)) {
      const telling = liveProbes().filter((p) => p.tells?.decision === name);
      expect(telling.length, `decision ${name} has a live probe that tells its alternatives apart`).toBeGreaterThan(0);
      for (const p of catalogue.filter((candidate) => candidate.tells?.decision === name)) {
        expect(Object.keys(p.tells?.expected ?? {}).sort(), p.name).toEqual([...alternatives].sort());
        expect(p.decisions, p.name).toEqual([name]);
      }
      // Across its probes, no two alternatives expect the same answers: some probe sees a difference.
      const probes = catalogue.filter((p) => p.tells?.decision === name && !p.tells.faceBoxImage);
      for (const a of alternatives) {
        for (const b of alternatives) {
          if (a >= b || probes.length === 0) continue;
          const same = probes.every(
            (p) => JSON.stringify(p.tells?.expected[a]) === JSON.stringify(p.tells?.expected[b]),
          );
          expect(same, `${name}: ${a} and ${b} answer every probe alike`).toBe(false);
        }
      }
    }
  });

  it(`keeps the live run to at most ${LIVE_REQUEST_CAP} requests, and the probes without the key quota-free`, () => {
    expect(liveProbes().length).toBeLessThanOrEqual(LIVE_REQUEST_CAP);
    expect(new Set(catalogue.map((p) => p.name)).size).toBe(catalogue.length);
    for (const p of catalogue) {
      const billable = p.request.credentials === 'target' && p.request.path === PREDICT_GENDER_PATH;
      expect(p.spendsQuota, p.name).toBe(billable && p.request.method === 'POST');
    }
  });

  it('expects only answers the spec documents, each with its documented HTTP code', () => {
    for (const p of catalogue) {
      for (const want of p.expected) {
        expect(specValidators().documentedCodes, p.name).toContain(want.httpCode);
        expect(documentedCodeOf(want.status ?? ''), p.name).toBe(want.httpCode);
      }
    }
  });

  it('sends images of the sizes the probes claim, read by an independent reader', () => {
    const size = (name: string) => imageSize(fileOf(name));
    expect(size('jpeg-file').type).toBe('jpg');
    expect(size('png-file').type).toBe('png');
    expect(size('png-declared-as-jpeg').type).toBe('png');
    expect(part('png-declared-as-jpeg', 'file')).toMatchObject({ filename: 'face.jpg', contentType: 'image/jpeg' });
    expect(size('image-too-small').width).toBeLessThan(limits.minSide);
    expect(size('image-too-small').height).toBeLessThan(limits.minSide);
    expect(size('one-side-too-small').width).toBeGreaterThanOrEqual(limits.minSide);
    expect(size('one-side-too-small').height).toBe(limits.minSide - 1);
    expect(size('smallest-image')).toMatchObject({ width: limits.minSide, height: limits.minSide });
    expect(size('image-too-large')).toMatchObject({
      type: 'png',
      width: limits.maxSide + 1,
      height: limits.maxSide + 1,
    });
    expect(fileOf('image-too-large').length).toBeLessThan(64 * 1024);
    expect(fileOf('file-at-size-limit').length).toBe(limits.maxBytes);
    expect(size('file-at-size-limit').type).toBe('png');
    expect(fileOf('file-over-size-limit').length).toBe(limits.maxBytes + 1);
    expect(Buffer.from(base64Of('base64-over-size-limit'), 'base64').length).toBe(limits.maxBytes + 1);
    expect(() => imageSize(fileOf('non-image-file'))).toThrow();
  });

  it('sends base64 in each dialect the decision names', () => {
    const standard = base64Of('base64-multipart');
    expect(imageSize(Buffer.from(standard, 'base64')).type).toBe('jpg');
    expect(base64Of('base64-line-breaks')).toContain('\r\n');
    expect(base64Of('base64-line-breaks').replace(/\s/g, '')).toBe(standard);
    expect(base64Of('base64-no-padding')).not.toContain('=');
    expect(base64Of('base64-no-padding').length % 4).not.toBe(0);
    expect(base64Of('base64-url-safe')).toMatch(/[-_]/);
    expect(base64Of('base64-url-safe')).not.toMatch(/[+/]/);
    expect(base64Of('base64-data-url')).toMatch(/^data:image\/jpeg;base64,/);
    expect(base64Of('base64-misplaced-padding')).toMatch(/^[^=]+==[^=]/);
    expect(base64Of('both-fields')).toBe(base64Of('junk-base64'));
    expect(imageSize(fileOf('both-fields')).type).toBe('jpg');
  });
});
