import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { computeOnce } from '../compute-once.js';
import { loadSpec, PREDICT_GENDER_PATH, type SpecDocument } from '../spec/spec-document.js';

export type Validation = { valid: true } | { valid: false; errors: string[] };

export interface SpecValidators {
  /** Validates a response body against the schema the spec gives for that HTTP code. */
  response(httpCode: number, body: unknown): Validation;
  /** Validates a value against a named schema of `components.schemas`. */
  schema(name: string, value: unknown): Validation;
  /** The HTTP codes the operation documents. */
  readonly documentedCodes: readonly number[];
}

const SPEC_ID = 'accuauth-spec.json';

/**
 * Compiles ajv validators straight from the spec: the whole document is added to ajv under one id, and each
 * validator is a `$ref` into it, so no schema is copied. OpenAPI 3.1 schemas are JSON Schema 2020-12, hence Ajv2020.
 * Compilation is lazy and cached per schema: the mock pays only for what it validates.
 */
export function createSpecValidators(spec: SpecDocument = loadSpec()): SpecValidators {
  // strict: false because the document carries OpenAPI keywords and x- extensions around the schemas.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('binary', true);
  ajv.addSchema(spec as object, SPEC_ID);
  const responses = spec.paths[PREDICT_GENDER_PATH]?.post?.responses ?? {};
  const documentedCodes = Object.keys(responses).map(Number);
  const compiled = new Map<string, ValidateFunction>();

  const validatorFor = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  const run = (validate: ValidateFunction, value: unknown): Validation =>
    validate(value) ? { valid: true } : { valid: false, errors: formatErrors(validate.errors ?? []) };

  return {
    documentedCodes,
    response(httpCode, body) {
      if (!documentedCodes.includes(httpCode)) {
        return { valid: false, errors: [`HTTP ${httpCode} is not a documented response code`] };
      }
      const path = PREDICT_GENDER_PATH.replaceAll('/', '~1');
      return run(validatorFor(`/paths/${path}/post/responses/${httpCode}/content/application~1json/schema`), body);
    },
    schema(name, value) {
      if (!spec.components.schemas[name]) return { valid: false, errors: [`the spec has no schema ${name}`] };
      return run(validatorFor(`/components/schemas/${name}`), value);
    },
  };
}

/** `ajv` errors as one line each: where, what was wrong, what was allowed. */
export function formatErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((error) => {
    const where = error.instancePath === '' ? 'body' : `body${error.instancePath.replaceAll('/', '.')}`;
    const allowed =
      error.params && 'allowedValues' in error.params ? ` (${error.params.allowedValues.join(', ')})` : '';
    const extra =
      error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    return `${where} ${error.message ?? 'is invalid'}${allowed}${extra}`;
  });
}

/** The validators of the packaged spec, created once per process. */
export const specValidators = computeOnce(() => createSpecValidators());
