import { computeOnce } from '../compute-once.js';
import { loadSpec, predictGenderOperation, type SpecDocument } from '../spec/spec-document.js';
import type { components } from '../types.js';

/** The spec's names of the error response schemas, one per HTTP status family (`BadRequestError`, ...). */
export type ErrorFamily = Extract<
  keyof components['schemas'],
  'BadRequestError' | 'UnauthorizedError' | 'ForbiddenError' | 'NotFoundError' | 'InternalError'
>;

/**
 * HTTP code -> the name of the schema the spec gives its error body. The client picks its error class by this
 * name, so which HTTP code is which family is read from the spec, never written in code.
 */
export function readErrorFamilies(spec: SpecDocument = loadSpec()): ReadonlyMap<number, ErrorFamily> {
  const families = new Map<number, ErrorFamily>();
  for (const [code, response] of Object.entries(predictGenderOperation(spec).responses)) {
    const ref = response.content['application/json']?.schema.$ref;
    const name = typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
    if (isErrorFamily(name)) families.set(Number(code), name);
  }
  return families;
}

function isErrorFamily(name: string | undefined): name is ErrorFamily {
  return (
    name === 'BadRequestError' ||
    name === 'UnauthorizedError' ||
    name === 'ForbiddenError' ||
    name === 'NotFoundError' ||
    name === 'InternalError'
  );
}

/** The families of the packaged spec, read once. */
export const errorFamilies = computeOnce(() => readErrorFamilies());
