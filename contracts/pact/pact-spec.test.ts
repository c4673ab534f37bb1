import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SwaggerMockValidatorFactory, type ValidationOutcome } from '@pactflow/swagger-mock-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSpecPath } from '../../src/spec/spec-document.js';
import { PACT_DIR, PACT_FILE } from './pact-participants.js';

// Bi-directional check: every interaction of a pact must be one the spec allows. The validator runs offline on
// files (no analytics URL, no broker), so it never leaves the machine.
const validator = SwaggerMockValidatorFactory.create();
const validate = (pactPath: string): Promise<ValidationOutcome> =>
  validator.validate({
    specPathOrUrl: findSpecPath(),
    mockPathOrUrl: pactPath,
    additionalPropertiesInResponse: 'false',
    requiredPropertiesInResponse: 'true',
  });

const describeErrors = (outcome: ValidationOutcome) =>
  outcome.errors
    .map((e) => `${e.code} at ${e.mockDetails?.location} of "${e.mockDetails?.interactionDescription}": ${e.message}`)
    .join('\n');

interface PactFile {
  interactions: {
    description: string;
    request: { headers: Record<string, string[]> };
    response: { status: number; body?: { content?: unknown } };
  }[];
}

let scratch = '';
let committedPact: PactFile;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'accuauth-pact-spec-'));
  committedPact = JSON.parse(await readFile(PACT_FILE, 'utf8')) as PactFile;
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Writes a copy of the committed pact whose one interaction `edit` changed, and returns its path. */
async function brokenPact(name: string, edit: (pact: PactFile) => void): Promise<string> {
  const pact = structuredClone(committedPact);
  edit(pact);
  const path = join(scratch, `${name}.json`);
  await writeFile(path, JSON.stringify(pact));
  return path;
}

function interactionAnswering(pact: PactFile, status: string) {
  const found = pact.interactions.find(
    (i) => (i.response.body?.content as { status?: string } | undefined)?.status === status,
  );
  if (!found) throw new Error(`the pact has no interaction answering ${status}`);
  return found;
}

describe('every pact agrees with the OpenAPI spec (swagger-mock-validator)', () => {
  it('each pact file in contracts/pacts/ passes', async () => {
    const pacts = (await readdir(PACT_DIR)).filter((name) => name.endsWith('.json'));
    expect(pacts).toContain(basename(PACT_FILE));
    for (const name of pacts) {
      const outcome = await validate(join(PACT_DIR, name));
      expect(outcome.success, `${name}:\n${describeErrors(outcome)}`).toBe(true);
      expect(outcome.errors).toEqual([]);
    }
  });

  it('fails a pact whose 403 carries a status the spec gives to 400 (INVALID_ARGUMENT)', async () => {
    const path = await brokenPact('wrong-status', (pact) => {
      const quota = interactionAnswering(pact, 'OUT_OF_QUOTA');
      (quota.response.body?.content as { status: string }).status = 'INVALID_ARGUMENT';
    });
    const outcome = await validate(path);
    expect(outcome.success).toBe(false);
    expect(describeErrors(outcome)).toMatch(/response\.body\.incompatible .*used up its quota.*allowed values/);
  });

  it('fails a pact whose success body has a field the spec does not document', async () => {
    const path = await brokenPact('undocumented-field', (pact) => {
      const ok = interactionAnswering(pact, 'OK');
      (ok.response.body?.content as Record<string, unknown>).age = 42;
    });
    const outcome = await validate(path);
    expect(outcome.success).toBe(false);
    expect(describeErrors(outcome)).toMatch(/age/);
  });

  it('fails a pact that expects an HTTP code the spec does not document', async () => {
    const path = await brokenPact('undocumented-code', (pact) => {
      const rateLimited = interactionAnswering(pact, 'RATE_LIMIT_EXCEEDED');
      rateLimited.response.status = 429;
    });
    const outcome = await validate(path);
    expect(outcome.success).toBe(false);
    expect(describeErrors(outcome)).toMatch(/429/);
  });

  it('fails a pact whose request sends no credentials, which the spec requires', async () => {
    const path = await brokenPact('no-credentials', (pact) => {
      const ok = interactionAnswering(pact, 'OK');
      ok.request.headers = { 'Content-Type': ok.request.headers['Content-Type'] ?? [] };
    });
    const outcome = await validate(path);
    expect(outcome.success).toBe(false);
    expect(describeErrors(outcome)).toMatch(/request\.authorization\.missing .*multipart file/);
  });
});
