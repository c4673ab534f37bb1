import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPackageFile } from '../embedded-package-files.js';

/** The path of the endpoint, the only one the vendor documents. */
export const PREDICT_GENDER_PATH = '/face/predict_gender';
const SPEC_FILE = join('openapi', 'predict-gender.yaml');
/**
 * The same document as JSON, written from the YAML by `npm run generate` and tested fresh against it: parsing it
 * costs a `JSON.parse`, where the YAML costs loading the `yaml` package and its parser (about a fifth of a cold start).
 * Its path from the package root, with `/`: also the key the standalone executable embeds it under.
 */
export const SPEC_JSON_FILE = 'src/generated/predict-gender.spec.json';
/** The spec's `x-decisions` as TypeScript types, written by `npm run generate`. */
const DECISIONS_MODULE_FILE = join('src', 'generated', 'decisions.ts');

/**
 * The parts of the OpenAPI document that code reads. Everything else in it is for people and for the tools
 * (Prism, openapi-typescript) that read the YAML themselves.
 */
export interface SpecDocument {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, SchemaObject>; securitySchemes: Record<string, SecuritySchemeObject> };
}

export interface OperationObject {
  operationId: string;
  'x-image-constraints'?: unknown;
  'x-decisions'?: unknown;
  requestBody?: unknown;
  responses: Record<string, ResponseObject>;
}

export interface ResponseObject {
  description: string;
  content: Record<string, { schema: SchemaObject; examples?: Record<string, { summary?: string; value: unknown }> }>;
}

export interface SecuritySchemeObject {
  type: string;
  in: string;
  name: string;
}

export type SchemaObject = { [keyword: string]: unknown };

/**
 * Finds the spec whether this module runs from `src/` (vitest, tsx) or from `dist/src/` (the built package):
 * both sit below the package root, which holds `openapi/`.
 */
export function findSpecPath(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, SPEC_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${SPEC_FILE} above ${from}; is the package installed whole?`);
    dir = parent;
  }
}

/**
 * The JSON form of the spec: `src/generated/` of the package root that holds the YAML (committed and shipped, like
 * the generated types). Tools that read OpenAPI themselves (Prism, redocly, the types command) take the YAML.
 */
export function specJsonPath(specPath: string = findSpecPath()): string {
  return join(dirname(dirname(specPath)), SPEC_JSON_FILE);
}

/** Where `npm run generate` writes the decision types (in the source tree; the build compiles them). */
export function decisionsModulePath(specPath: string = findSpecPath()): string {
  return join(dirname(dirname(specPath)), DECISIONS_MODULE_FILE);
}

let cached: SpecDocument | undefined;

/** Reads and parses the spec once per process; every consumer shares the same object, so treat it as read-only. */
export function loadSpec(): SpecDocument {
  if (cached) return cached;
  const embedded = embeddedPackageFile(SPEC_JSON_FILE);
  const path = embedded ? `${SPEC_JSON_FILE} (embedded)` : specJsonPath();
  const document: unknown = JSON.parse((embedded ?? readFileSync(path)).toString('utf8'));
  cached = assertSpecShape(document, path);
  return cached;
}

function assertSpecShape(document: unknown, path: string): SpecDocument {
  const doc = document as Partial<SpecDocument> | null;
  const operation = doc?.paths?.[PREDICT_GENDER_PATH]?.post;
  if (!doc || typeof doc.openapi !== 'string' || !operation?.responses || !doc.components?.schemas) {
    throw new Error(`${path} is not the OpenAPI document of POST ${PREDICT_GENDER_PATH}`);
  }
  return doc as SpecDocument;
}

/** The one operation of the spec, `POST /face/predict_gender`. */
export function predictGenderOperation(spec: SpecDocument = loadSpec()): OperationObject {
  const operation = spec.paths[PREDICT_GENDER_PATH]?.post;
  if (!operation) throw new Error(`the spec has no POST ${PREDICT_GENDER_PATH}`);
  return operation;
}

/** The vendor's base URL, the spec's first server: the default target of the client, the drift check and MSW. */
export function vendorBaseUrl(spec: SpecDocument = loadSpec()): string {
  const url = spec.servers[0]?.url;
  if (!url) throw new Error('the spec has no servers[0].url');
  return url;
}
