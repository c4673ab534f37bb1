import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docsWithTables, withFreshTables } from '../../scripts/docs-tables.js';
import { mockConfigTypesSource, mockConfigTypesUrl } from '../../scripts/mock-config-types.js';
import { readDecisionCatalogue } from '../../src/spec/decision-catalogue.js';
import { decisionsConfigSchema } from '../../src/spec/decisions-config-schema.js';
import { decisionsModuleSource } from '../../src/spec/decisions-module.js';
import { buildErrorCatalogue } from '../../src/spec/error-catalogue.js';
import { readImageConstraints, readImageMediaTypes } from '../../src/spec/image-constraints.js';
import { readNamedExamples } from '../../src/spec/named-examples.js';
import {
  decisionsModulePath,
  findSpecPath,
  loadSpec,
  predictGenderOperation,
  type SpecDocument,
  specJsonPath,
} from '../../src/spec/spec-document.js';
import { createSpecValidators } from '../../src/validation/spec-validators.js';

const spec = loadSpec();

describe('facts read from the spec', () => {
  it('the error catalogue maps each of the ten documented status values to its vendor HTTP code', () => {
    const catalogue = buildErrorCatalogue(spec);
    const table = Object.fromEntries([...catalogue.values()].map((entry) => [entry.status, entry.httpCode]));
    // The vendor doc's table of error codes, the one place these numbers are written outside the spec.
    expect(table).toEqual({
      INVALID_ARGUMENT: 400,
      DETECTION_FAILED: 400,
      DOWNLOAD_ERROR: 400,
      UNAUTHORIZED: 401,
      KEY_EXPIRED: 401,
      NO_PERMISSION: 403,
      OUT_OF_QUOTA: 403,
      RATE_LIMIT_EXCEEDED: 403,
      NOT_FOUND: 404,
      INTERNAL_ERROR: 500,
    });
    expect(catalogue.get('OUT_OF_QUOTA')?.description).toBe('API calls quota exceeded');
  });

  it('refuses a spec in which a status value is admitted by two HTTP codes', () => {
    const broken = structuredClone(spec) as SpecDocument;
    const forbidden = broken.components.schemas.ForbiddenError as {
      allOf: { properties?: { status: { enum: string[] } } }[];
    };
    forbidden.allOf[1]?.properties?.status.enum.push('INVALID_ARGUMENT');
    expect(() => buildErrorCatalogue(broken)).toThrow(/INVALID_ARGUMENT is admitted by both HTTP 400 and 403/);
  });

  it('the image constraints are the vendor numbers: JPEG/PNG, 128..6000 px, 5 MiB', () => {
    expect(readImageConstraints(spec)).toEqual({
      formats: ['jpeg', 'png'],
      minSide: 128,
      maxSide: 6000,
      maxBytes: 5 * 1024 * 1024,
    });
  });

  it("each image format's media type is read from the spec's multipart encoding of file", () => {
    expect(readImageMediaTypes(spec)).toEqual({ jpeg: 'image/jpeg', png: 'image/png' });
    const withoutPng = structuredClone(spec);
    const operation = withoutPng.paths['/face/predict_gender']?.post;
    if (!operation) throw new Error('the spec lost its operation');
    operation.requestBody = {
      content: { 'multipart/form-data': { encoding: { file: { contentType: 'image/jpeg' } } } },
    };
    expect(() => readImageMediaTypes(withoutPng)).toThrow(/lists no media type for png \(got "image\/jpeg"\)/);
  });

  it('has one named example per status value, named after it, plus the vendor samples', () => {
    const examples = readNamedExamples(spec);
    for (const entry of buildErrorCatalogue(spec).values()) {
      const example = examples.get(entry.status);
      expect(example, entry.status).toBeDefined();
      expect(example?.httpCode).toBe(entry.httpCode);
      expect((example?.body as { status?: string } | undefined)?.status).toBe(entry.status);
    }
    expect(examples.get('OK')?.body).toMatchObject({ request_id: 'TIDe4a66115d93f4f45982ceb62d0a1eccf', status: 'OK' });
    expect(examples.get('INVALID_ARGUMENT')?.body).toEqual({
      status: 'INVALID_ARGUMENT',
      reason: "must specify 'file' or 'image_base64' argument",
      request_id: 'TID8bf47ab6eda64476973cc5f5b6ebf57e',
    });
  });

  it('every example validates against the schema of its own response (ajv)', () => {
    const validators = createSpecValidators(spec);
    const examples = [...readNamedExamples(spec).values()];
    expect(examples.length).toBeGreaterThanOrEqual(12);
    for (const example of examples) {
      expect(validators.response(example.httpCode, example.body), example.name).toEqual({ valid: true });
    }
  });

  it('each error schema admits exactly its own status values', () => {
    const validators = createSpecValidators(spec);
    const catalogue = buildErrorCatalogue(spec);
    const body = (status: string) => ({ status, reason: 'r', request_id: `TID${'0'.repeat(32)}` });
    for (const code of [400, 401, 403, 404, 500]) {
      for (const entry of catalogue.values()) {
        expect(validators.response(code, body(entry.status)).valid, `${entry.status} under ${code}`).toBe(
          entry.httpCode === code,
        );
      }
    }
  });

  it('the request id pattern is TID + 32 lowercase hex', () => {
    const validators = createSpecValidators(spec);
    expect(validators.schema('RequestId', 'TIDe4a66115d93f4f45982ceb62d0a1eccf')).toEqual({ valid: true });
    expect(validators.schema('RequestId', 'TIDE4A66115D93F4F45982CEB62D0A1ECCF').valid).toBe(false);
    expect(validators.schema('RequestId', 'TIDe4a66115d93f4f45982ceb62d0a1ecc').valid).toBe(false);
  });
});

describe('files generated from the spec', () => {
  it('src/generated/predict-gender.ts is fresh against the spec (run `npm run generate` if this fails)', async () => {
    const ast = await openapiTS(new URL(`file://${findSpecPath()}`));
    const header =
      '/**\n * This file was auto-generated by openapi-typescript.\n * Do not make direct changes to the file.\n */\n\n';
    const committed = readFileSync(new URL('../../src/generated/predict-gender.ts', import.meta.url), 'utf8');
    expect(committed).toBe(header + astToString(ast));
  });

  it('src/generated/predict-gender.spec.json, which loadSpec() reads, holds the YAML spec (run `npm run generate` if this fails)', () => {
    const fromYaml: unknown = parse(readFileSync(findSpecPath(), 'utf8'));
    const committed: unknown = JSON.parse(readFileSync(specJsonPath(), 'utf8'));
    expect(committed).toStrictEqual(fromYaml);
    expect(loadSpec()).toStrictEqual(fromYaml);
  });

  it("the config schema's decisions block is made from the x-decisions of the spec (run `npm run generate` if this fails)", () => {
    const fromYaml: unknown = parse(readFileSync(findSpecPath(), 'utf8'));
    const schema = JSON.parse(
      readFileSync(new URL('../../mock/core/config/mock-config.schema.json', import.meta.url), 'utf8'),
    ) as { properties: { decisions: unknown } };
    expect(schema.properties.decisions).toStrictEqual(decisionsConfigSchema(fromYaml));
  });

  it('mock/core/config/mock-config.generated.ts holds the types of the config schema (run `npm run generate` if this fails)', async () => {
    expect(readFileSync(mockConfigTypesUrl, 'utf8')).toBe(await mockConfigTypesSource());
  });

  it('src/generated/decisions.ts names the x-decisions of the spec (run `npm run generate` if this fails)', () => {
    const fromYaml: unknown = parse(readFileSync(findSpecPath(), 'utf8'));
    expect(readFileSync(decisionsModulePath(), 'utf8')).toBe(decisionsModuleSource(fromYaml));
  });
});

describe('the decision catalogue (x-decisions)', () => {
  it('names every case the vendor doc leaves open, with the choice the spec takes among its alternatives', () => {
    const catalogue = readDecisionCatalogue(spec);
    expect(Object.fromEntries([...catalogue.values()].map((d) => [d.name, d.choice]))).toEqual({
      'image-format': 'by-content',
      'side-limits': 'inclusive',
      'max-image-bytes': 'mebibytes',
      'urlencoded-base64': 'accept',
      'both-fields': 'file',
      'base64-whitespace': 'ignore',
      'base64-padding': 'optional',
      'base64-alphabet': 'standard',
      'empty-field': 'absent',
      'corrupt-image': 'invalid-argument',
      'face-box': 'ltrb',
      'other-methods': 'not-found',
    });
    expect(catalogue.get('both-fields')?.alternatives.get('reject')).toMatch(/INVALID_ARGUMENT/);
    expect(catalogue.get('max-image-bytes')?.values?.get('megabytes')).toBe(5_000_000);
  });

  it('refuses a spec whose choice is not one of its alternatives', () => {
    const broken = structuredClone(spec) as SpecDocument;
    const decisions = predictGenderOperation(broken)['x-decisions'] as Record<string, { choice: string }>;
    if (decisions['face-box']) decisions['face-box'].choice = 'xyxy';
    expect(() => readDecisionCatalogue(broken)).toThrow(
      /x-decisions.face-box.choice is xyxy, not one of its alternatives \(ltrb, xywh\)/,
    );
  });

  it('refuses a spec whose byte limit disagrees with x-image-constraints', () => {
    const broken = structuredClone(spec) as SpecDocument;
    const decisions = predictGenderOperation(broken)['x-decisions'] as Record<string, { choice: string }>;
    if (decisions['max-image-bytes']) decisions['max-image-bytes'].choice = 'megabytes';
    expect(() => readDecisionCatalogue(broken)).toThrow(/must equal x-image-constraints.maxBytes \(5242880\)/);
  });
});

describe('the tables of docs/ made from the spec', () => {
  it('every generated region of the guides is fresh (run `npm run generate` if this fails)', () => {
    for (const guide of docsWithTables) {
      const committed = readFileSync(guide, 'utf8');
      expect(committed, guide.pathname).toMatch(/<!-- generated:[a-z-]+ -->/);
      expect(committed, guide.pathname).toBe(withFreshTables(committed, spec));
    }
  });

  it('a spec change shows in the tables: another HTTP code, another choice', () => {
    const changed = structuredClone(spec) as SpecDocument;
    const decisions = predictGenderOperation(changed)['x-decisions'] as Record<string, { choice: string }>;
    if (decisions['face-box']) decisions['face-box'].choice = 'xywh';
    const errors = changed.components.schemas.ErrorStatus?.['x-enumDescriptions'] as Record<string, string>;
    errors.NOT_FOUND = 'Nothing lives here';
    const markdown =
      '<!-- generated:statuses -->\n<!-- /generated -->\n<!-- generated:decisions -->\n<!-- /generated -->\n';
    const tables = withFreshTables(markdown, changed);
    expect(tables).toMatch(/^\| `NOT_FOUND` +\| 404 +\| Nothing lives here +\|$/m);
    expect(tables).toMatch(/^\| `face-box` +\| [^|]+\| `xywh`: [^|]+\| `ltrb`: [^|]+\| `jpeg-file` +\|$/m);
    expect(() => withFreshTables('<!-- generated:nope -->\n<!-- /generated -->', spec)).toThrow(
      /generated:nope --> names no table; known: statuses, decisions/,
    );
  });
});
