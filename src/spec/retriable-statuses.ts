import { computeOnce } from '../compute-once.js';
import type { ErrorStatus } from '../types.js';
import { loadSpec, type SpecDocument } from './spec-document.js';

/**
 * The status values after which the same request may be sent again, each with when (our reading
 * `retriable-statuses`, written once in the spec as `ErrorStatus.x-retriable`). Every other documented status
 * answers the request or the key itself, so a retry gets the same answer and spends a call. Throws when the spec
 * names a value that is not a documented status, since the client audit trusts this table.
 */
export function readRetriableStatuses(spec: SpecDocument = loadSpec()): ReadonlyMap<ErrorStatus, string> {
  const errorStatus = spec.components.schemas.ErrorStatus;
  const values = new Set((errorStatus?.enum as string[] | undefined) ?? []);
  const raw = errorStatus?.['x-retriable'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('the spec has no components.schemas.ErrorStatus.x-retriable object');
  }
  const retriable = new Map<ErrorStatus, string>();
  for (const [status, when] of Object.entries(raw)) {
    if (!values.has(status)) throw new Error(`ErrorStatus.x-retriable.${status} is not a documented status value`);
    if (typeof when !== 'string') throw new Error(`ErrorStatus.x-retriable.${status} must say when, as text`);
    retriable.set(status as ErrorStatus, when);
  }
  return retriable;
}

/** The packaged spec's retriable statuses, read once. */
export const retriableStatuses = computeOnce(() => readRetriableStatuses());
