import { computeOnce } from '../compute-once.js';
import type { ErrorStatus } from '../types.js';
import { loadSpec, predictGenderOperation, type SchemaObject, type SpecDocument } from './spec-document.js';

export interface CatalogueEntry {
  status: ErrorStatus;
  httpCode: number;
  description: string;
}

export type ErrorCatalogue = ReadonlyMap<ErrorStatus, CatalogueEntry>;

/**
 * Status value -> HTTP code -> description, read from the spec: the status values and their descriptions from
 * `ErrorStatus` (enum + x-enumDescriptions), the HTTP code from the one error response whose schema admits the value.
 * Throws when the spec is inconsistent (a value in no response, or in two), because every other part of the
 * toolkit trusts this table.
 */
export function buildErrorCatalogue(spec: SpecDocument = loadSpec()): ErrorCatalogue {
  const errorStatus = spec.components.schemas.ErrorStatus;
  const values = errorStatus?.enum as ErrorStatus[] | undefined;
  const descriptions = (errorStatus?.['x-enumDescriptions'] ?? {}) as Record<string, string>;
  if (!values) throw new Error('the spec has no components.schemas.ErrorStatus enum');

  const codeOf = new Map<string, number>();
  for (const [code, response] of Object.entries(predictGenderOperation(spec).responses)) {
    const httpCode = Number(code);
    if (httpCode < 400) continue;
    for (const status of statusValuesOf(response.content['application/json']?.schema, spec)) {
      const earlier = codeOf.get(status);
      if (earlier !== undefined)
        throw new Error(`status ${status} is admitted by both HTTP ${earlier} and ${httpCode}`);
      codeOf.set(status, httpCode);
    }
  }

  const catalogue = new Map<ErrorStatus, CatalogueEntry>();
  for (const status of values) {
    const httpCode = codeOf.get(status);
    const description = descriptions[status];
    if (httpCode === undefined) throw new Error(`status ${status} is admitted by no error response of the spec`);
    if (description === undefined) throw new Error(`status ${status} has no x-enumDescriptions entry in the spec`);
    catalogue.set(status, { status, httpCode, description });
  }
  return catalogue;
}

/** The `status` enum an error response's schema narrows to (`allOf: [ErrorResponse, {properties.status.enum}]`). */
function statusValuesOf(schema: SchemaObject | undefined, spec: SpecDocument): string[] {
  const resolved = resolveRef(schema, spec);
  const parts = (resolved?.allOf as SchemaObject[] | undefined) ?? (resolved ? [resolved] : []);
  for (const part of parts) {
    const status = (part.properties as Record<string, SchemaObject> | undefined)?.status;
    if (Array.isArray(status?.enum)) return status.enum as string[];
  }
  return [];
}

function resolveRef(schema: SchemaObject | undefined, spec: SpecDocument): SchemaObject | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return spec.components.schemas[name];
}

/** The catalogue of the packaged spec, built once. */
export const errorCatalogue = computeOnce(() => buildErrorCatalogue());

/** The HTTP code of an `OK` answer: the spec's one 2xx response, the one code the error catalogue does not hold. */
export function readOkHttpCode(spec: SpecDocument = loadSpec()): number {
  const codes = Object.keys(predictGenderOperation(spec).responses)
    .map(Number)
    .filter((code) => code >= 200 && code < 300);
  const [code] = codes;
  if (code === undefined || codes.length !== 1) throw new Error('the spec must have exactly one 2xx response');
  return code;
}

/** OK's HTTP code in the packaged spec, read once. */
export const okHttpCode = computeOnce(() => readOkHttpCode());

/** The HTTP code the vendor documents for a status value. */
export function httpCodeOf(status: ErrorStatus): number {
  const entry = errorCatalogue().get(status);
  if (!entry) throw new Error(`unknown status value ${status}`);
  return entry.httpCode;
}

/**
 * The statuses that refuse the key itself rather than the request: those the spec answers with 401 or 403
 * (UNAUTHORIZED, KEY_EXPIRED; NO_PERMISSION, OUT_OF_QUOTA, RATE_LIMIT_EXCEEDED), whatever the image was.
 */
export const keyRefusals = computeOnce(
  (): ReadonlySet<ErrorStatus> =>
    new Set(
      [...errorCatalogue().values()]
        .filter((entry) => entry.httpCode === 401 || entry.httpCode === 403)
        .map((entry) => entry.status),
    ),
);
